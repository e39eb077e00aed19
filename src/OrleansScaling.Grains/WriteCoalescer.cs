namespace OrleansScaling.Grains;

/// <summary>
/// Group commit for a reentrant grain's state: at most one write runs at a time (concurrent writes of one state would
/// fail its ETag check), and every change made while one runs is covered by a single next write that all those
/// callers share. Used on the grain's scheduler, so it needs no locks.
/// </summary>
public sealed class WriteCoalescer(Func<Task> write)
{
    private Task _running = Task.CompletedTask;
    private Task? _queued;

    /// <summary>Completes once a write that started after this call has stored the state.</summary>
    public Task WriteAsync()
    {
        if (_queued is not null)
            return _queued;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _queued = done.Task;
        _ = RunAsync(_running, done);
        return done.Task;
    }

    private async Task RunAsync(Task previous, TaskCompletionSource done)
    {
        try
        {
            await previous;
        }
        catch
        {
            // Its own callers saw that failure; this write is a new attempt.
        }
        // From here, a new change needs the next write: this one may already have read the state.
        _running = done.Task;
        _queued = null;
        try
        {
            await write();
            done.SetResult();
        }
        catch (Exception e)
        {
            done.SetException(e);
        }
    }
}
