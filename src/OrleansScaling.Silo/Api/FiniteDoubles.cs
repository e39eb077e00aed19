using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansScaling.Silo.Api;

/// <summary>
/// No answer carries NaN or Infinity: a non-finite number (a law fitted on as many models as parameters has no
/// residual variance; a degenerate interval) is written as null, which every JSON reader understands. Reading keeps
/// the named literals ("NaN") that the serializer allowed before, so request bodies behave as they did.
/// </summary>
internal sealed class FiniteDoubles : JsonConverter<double>
{
    public override bool HandleNull => false;

    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number => reader.GetDouble(),
        JsonTokenType.String => reader.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var other => throw new JsonException($"'{other}' is not a number"),
        },
        _ => throw new JsonException($"expected a number, got {reader.TokenType}"),
    };

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value))
            writer.WriteNumberValue(value);
        else
            writer.WriteNullValue();
    }
}
