using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace OrleansScaling.Ingestion;

/// <summary>
/// Writes an <see cref="EvaluationRecord"/> in the JSON form <see cref="EvaluationJsonParser"/> reads, so that records
/// read from any format can be posted (one per line: JSON Lines). The idempotency key is written only when the client
/// chose it: a key derived from run id or content is derived again, identically, by the server.
/// </summary>
public static class EvaluationJsonWriter
{
    private const string ClientKeyPrefix = "key:";

    public static void Write(Utf8JsonWriter writer, EvaluationRecord record)
    {
        writer.WriteStartObject();
        writer.WriteString("modelId", record.ModelId);
        if (record.Family is not null)
            writer.WriteString("family", record.Family);
        if (record.Parameters is { } parameters)
            writer.WriteNumber("parameters", parameters);
        if (record.Tokens is { } tokens)
            writer.WriteNumber("tokens", tokens);
        writer.WriteString("benchmark", record.Benchmark);
        writer.WriteString("metric", record.Metric);
        writer.WriteNumber("score", record.Score);
        if (record.StdErr is { } stderr)
            writer.WriteNumber("stderr", stderr);
        if (record.Samples is { } samples)
            writer.WriteNumber("samples", samples);
        if (record.Source is not null)
            writer.WriteString("source", record.Source);
        if (record.RunId is not null)
            writer.WriteString("runId", record.RunId);
        if (record.Timestamp is { } timestamp)
            writer.WriteString("timestamp", timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        if (record.IdempotencyKey.StartsWith(ClientKeyPrefix, StringComparison.Ordinal))
            writer.WriteString("idempotencyKey", record.IdempotencyKey[ClientKeyPrefix.Length..]);
        writer.WriteEndObject();
    }

    /// <summary>Records as JSON Lines, UTF-8.</summary>
    public static byte[] ToJsonLines(IEnumerable<EvaluationRecord> records)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using var writer = new Utf8JsonWriter(buffer);
        foreach (var record in records)
        {
            Write(writer, record);
            writer.Flush();
            writer.Reset();
            buffer.Write("\n"u8);
        }
        return buffer.WrittenSpan.ToArray();
    }
}
