using System.Text.Json;
using OrleansScaling.Modeling.LatentVariable.Estimation;
using OrleansScaling.Modeling.LatentVariable.Files;
using OrleansScaling.Modeling.LatentVariable.Inference;

namespace OrleansScaling.Modeling.Live.Latent;

/// <summary>
/// A live latent fit as stored in a snapshot and pushed to grains: the fit file (<see cref="LatentModelFitFile"/>:
/// parameters, standardisation, family posteriors by name, the data) and what the live fit adds to it (its columns
/// with their ranges and floors, the dispersion τ, the data's compute box, the report). Reading it back gives the same
/// forecasts as the fit it was written from.
/// </summary>
public sealed record LatentLiveFitFile
{
    public const string FormatName = "osl-live-latent-fit";
    public const int CurrentVersion = 1;

    public string Format { get; init; } = FormatName;

    public int Version { get; init; } = CurrentVersion;

    public required string Model { get; init; }

    public required IReadOnlyList<LiveColumn> Columns { get; init; }

    /// <summary>τ per column on the logit scale; null when it was not estimated.</summary>
    public IReadOnlyList<double>? Dispersion { get; init; }

    public IReadOnlyList<int>? DispersionCells { get; init; }

    public required ComputeRange Range { get; init; }

    public required int Draws { get; init; }

    public required LiveFitReport Report { get; init; }

    public static LatentLiveFitFile From(LatentLiveFit fit) => new()
    {
        Model = LatentModelFitFile.From(fit.Fit, fit.Data, "fast", new LatentFitOptions { Skills = fit.Fit.Parameters.Skills }, ["live"], null).ToJson(),
        Columns = fit.Columns,
        Dispersion = fit.Dispersion?.LogitSd,
        DispersionCells = fit.Dispersion?.Cells,
        Range = fit.Range,
        Draws = fit.Draws,
        Report = fit.Report,
    };

    public LatentLiveFit ToFit()
    {
        if (Format != FormatName || Version != CurrentVersion)
            throw new InvalidDataException($"'{Format}' version {Version} is not a live latent fit this build reads ({FormatName} {CurrentVersion})");
        var model = LatentModelFitFile.FromJson(Model);
        var dispersion = Dispersion is null ? null : new ModelDispersion(Dispersion, DispersionCells ?? new int[Dispersion.Count]);
        return new LatentLiveFit(model.ToFit(), model.ToFleet(), Columns, dispersion, Range, Draws, Report);
    }

    public string ToJson() => JsonSerializer.Serialize(this, LatentModelFitFile.Json);

    public static LatentLiveFitFile FromJson(string json) =>
        JsonSerializer.Deserialize<LatentLiveFitFile>(json, LatentModelFitFile.Json) ?? throw new InvalidDataException("the live latent fit is empty");
}
