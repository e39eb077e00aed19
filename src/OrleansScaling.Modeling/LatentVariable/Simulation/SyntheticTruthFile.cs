using System.Text.Json;
using System.Text.Json.Serialization;
using OrleansScaling.Modeling.LatentVariable.Data;
using OrleansScaling.Modeling.LatentVariable.Files;

namespace OrleansScaling.Modeling.LatentVariable.Simulation;

/// <summary>
/// The truth a synthetic fleet was drawn from, saved next to its CSVs (format <see cref="FormatName"/>): parameters in
/// the fit file's layout, the features' standardisation they refer to, the benchmarks, each family's latent and the
/// options of the draw. A fit of the CSVs estimates these parameters.
/// </summary>
public sealed record SyntheticTruthFile
{
    public const string FormatName = "osl-lvm-truth";
    public const int CurrentVersion = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public string Format { get; init; } = FormatName;

    public int Version { get; init; } = CurrentVersion;

    public required int TruthSeed { get; init; }

    public required SyntheticFleetOptions Fleet { get; init; }

    public required IReadOnlyList<LatentBenchmark> Benchmarks { get; init; }

    /// <summary>The standardisation of all drawn models, to which <see cref="Parameters"/>' slopes refer.</summary>
    public required ScalingFeatures Features { get; init; }

    public required LatentModelFitFile.ParameterState Parameters { get; init; }

    public required IReadOnlyList<FamilyLatent> FamilyLatents { get; init; }

    public sealed record FamilyLatent(string Family, double[] Latent);

    public static SyntheticTruthFile From(SyntheticFleet fleet, int truthSeed, SyntheticFleetOptions options)
    {
        // The fleet's families are those with at least one model; with none dropped they line up with the latents.
        if (fleet.Fleet.Families.Count != fleet.FamilyLatents.Length)
            throw new ArgumentException($"{fleet.FamilyLatents.Length - fleet.Fleet.Families.Count} drawn families have no model, so the latents cannot be named", nameof(fleet));
        return new SyntheticTruthFile
        {
            TruthSeed = truthSeed,
            Fleet = options,
            Benchmarks = [.. fleet.Fleet.Benchmarks],
            Features = fleet.Features,
            Parameters = LatentModelFitFile.ParameterState.From(fleet.Truth, fleet.Features),
            FamilyLatents = [.. fleet.Fleet.Families.Select((name, f) => new FamilyLatent(name, fleet.FamilyLatents[f]))],
        };
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static SyntheticTruthFile FromJson(string json)
    {
        var file = JsonSerializer.Deserialize<SyntheticTruthFile>(json, Json) ?? throw new InvalidDataException("the truth file is empty");
        if (file.Format != FormatName || file.Version != CurrentVersion)
            throw new InvalidDataException($"'{file.Format}' version {file.Version} is not a synthetic truth file ({FormatName} version {CurrentVersion})");
        return file;
    }

    public void Save(string path) => File.WriteAllText(path, ToJson() + "\n");

    public static SyntheticTruthFile Load(string path) => FromJson(File.ReadAllText(path));
}
