namespace OrleansScaling.Ingestion.Formats;

/// <summary>
/// One format of results a harness writes. Reading never throws for bad input: every problem is an error item naming
/// the file and the line or JSON path, and the rest of the input is still read where the format allows it.
/// </summary>
public interface IHarnessFormat
{
    /// <summary>A short stable name (<c>lm-eval</c>, <c>inspect-ai</c>, <c>helm</c>, ...).</summary>
    string Name { get; }

    /// <summary>Whether this format reads the file or folder at <paramref name="path"/>, judged by its name and first bytes.</summary>
    bool CanRead(string path, ReadOnlySpan<byte> head);

    /// <summary>Reads a file (or, for HELM, a run folder).</summary>
    IEnumerable<ParsedItem> Read(string path);

    /// <summary>Reads a stream; <paramref name="source"/> names it in issues and may carry the model (lm-eval's folder).</summary>
    IEnumerable<ParsedItem> Read(Stream stream, string source);
}

/// <summary>A format held in one file: reading a path opens it as a stream.</summary>
public abstract class FileHarnessFormat : IHarnessFormat
{
    public abstract string Name { get; }

    public abstract bool CanRead(string path, ReadOnlySpan<byte> head);

    public IEnumerable<ParsedItem> Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = InputBytes.ReadFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return [ParsedItem.Error(path, null, null, "cannot be read: " + e.Message, "unreadable")];
        }
        return Read(bytes, path);
    }

    public IEnumerable<ParsedItem> Read(Stream stream, string source)
    {
        byte[] bytes;
        try
        {
            bytes = InputBytes.ReadStream(stream);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            return [ParsedItem.Error(source, null, null, "cannot be read: " + e.Message, "unreadable")];
        }
        return Read(bytes, source);
    }

    /// <summary>Reads the whole content of one input.</summary>
    protected abstract IEnumerable<ParsedItem> Read(byte[] bytes, string source);
}
