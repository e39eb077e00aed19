namespace OrleansScaling.LoadDriver;

/// <summary>Request latencies with when each ran, so a phase can be cut by what else was happening at the time.</summary>
internal sealed class Latencies
{
    private readonly Lock _lock = new();
    private readonly List<(DateTime Start, DateTime End)> _samples = [];

    public int Count => _samples.Count;

    public void Add(DateTime start, DateTime end)
    {
        lock (_lock)
            _samples.Add((start, end));
    }

    public IEnumerable<double> Milliseconds(Func<DateTime, DateTime, bool>? where = null) =>
        _samples.Where(s => where?.Invoke(s.Start, s.End) ?? true).Select(s => (s.End - s.Start).TotalMilliseconds);

    /// <summary>The q-quantile (nearest rank) of the values; NaN when there are none.</summary>
    public static double Quantile(IEnumerable<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
