namespace OrleansScaling.Modeling.Data;

/// <summary>A CSV file that cannot be read as the layout asks, with the file, 1-based line and column that broke it.</summary>
public sealed class CsvFormatException : FormatException
{
    public CsvFormatException(string source, int line, string? column, string problem)
        : base(Describe(source, line, column, problem))
    {
        FileName = source;
        Line = line;
        Column = column;
        Problem = problem;
    }

    public CsvFormatException()
    {
    }

    public CsvFormatException(string message) : base(message)
    {
    }

    public CsvFormatException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>The file (or other source name) that was being read.</summary>
    public string? FileName { get; }

    /// <summary>1-based physical line of the record that failed; 0 when the problem is the file as a whole.</summary>
    public int Line { get; }

    /// <summary>The column header involved, when one is.</summary>
    public string? Column { get; }

    public string? Problem { get; }

    private static string Describe(string source, int line, string? column, string problem)
    {
        var where = line > 0 ? $"{source}:{line}" : source;
        return column is null ? $"{where}: {problem}" : $"{where}: column '{column}': {problem}";
    }
}
