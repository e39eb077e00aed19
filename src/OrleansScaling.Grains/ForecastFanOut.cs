using OrleansScaling.Abstractions;

namespace OrleansScaling.Grains;

/// <summary>Asks each benchmark grain for its law's forecast at the same capabilities, in parallel.</summary>
internal static class ForecastFanOut
{
    public static async Task<ForecastSet> ForecastAsync(
        IGrainFactory grains, IReadOnlyList<string> keys, double[] capabilities, double[]? variance, double level, long version, bool provisional)
    {
        var forecasts = await Task.WhenAll(keys.Select(k => grains.GetGrain<IBenchmarkGrain>(k).ForecastAsync(capabilities, variance, level)));
        var found = forecasts.OfType<Forecast>().Select(f => f with { Provisional = provisional || f.Version != version }).ToArray();
        var missing = keys.Where((_, i) => forecasts[i] is null).ToArray();
        return new ForecastSet(version, provisional, capabilities, found, missing);
    }

    /// <summary>The columns asked for, or every column with a law in the newest fit.</summary>
    public static async Task<IReadOnlyList<string>> KeysAsync(IGrainFactory grains, IReadOnlyList<string>? asked)
    {
        if (asked is { Count: > 0 })
            return asked;
        var space = await grains.GetGrain<ICoordinatorGrain>(ICoordinatorGrain.Key).GetSpaceAsync();
        return space?.LawKeys ?? [];
    }
}
