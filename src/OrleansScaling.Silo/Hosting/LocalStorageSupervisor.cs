using OrleansScaling.Azurite;

namespace OrleansScaling.Silo.Hosting;

/// <summary>
/// Restarts the embedded Azurite when it dies under a running host (killed, out of memory), on the same ports and
/// data folder, with bounded retries and backoff (<c>LocalStorage:MaxRestartAttempts</c>, default 5; 1, 2, 4, 8, 16 s).
/// While it is down every storage call fails and the API answers 503 with Retry-After; when it gives up, storage
/// stays unreachable and <c>/health/live</c> turns unhealthy after <c>Health:StorageUnreachableThreshold</c>.
/// </summary>
internal sealed class LocalStorageSupervisor(AzuriteServer server, IConfiguration configuration, ILogger<LocalStorageSupervisor> logger) : BackgroundService
{
    private readonly int _maxAttempts = configuration.GetValue("LocalStorage:MaxRestartAttempts", 5);
    private readonly TimeSpan _poll = configuration.GetValue("LocalStorage:WatchInterval", TimeSpan.FromMilliseconds(500));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var gaveUp = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(_poll, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stoppingToken.IsCancellationRequested || gaveUp || !server.HasExited)
                continue;
            var pid = server.ProcessId;
            var started = TimeProvider.System.GetTimestamp();
            logger.LogWarning("Local Azure Storage (Azurite, pid {Pid}) exited while the host runs; restarting it on the same ports", pid);
            for (var attempt = 1; ; attempt++)
            {
                string failure;
                try
                {
                    failure = await server.RestartAsync(stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    failure = e.Message;
                }
                if (failure.Length == 0)
                {
                    logger.LogWarning("Local Azure Storage restarted (pid {Pid}) after {Elapsed:F1} s, attempt {Attempt}; writes acknowledged in the last seconds before it died may be lost (see README)",
                        server.ProcessId, TimeProvider.System.GetElapsedTime(started).TotalSeconds, attempt);
                    break;
                }
                if (failure == "stopped")
                    return;
                if (attempt >= _maxAttempts)
                {
                    logger.LogError("Local Azure Storage could not be restarted after {Attempts} attempts ({Failure}); giving up, /health/live will report it", attempt, failure);
                    gaveUp = true;
                    break;
                }
                var backoff = TimeSpan.FromSeconds(Math.Pow(2, attempt - 1));
                logger.LogWarning("Restarting Local Azure Storage failed (attempt {Attempt} of {Max}: {Failure}); next try in {Backoff} s", attempt, _maxAttempts, failure, backoff.TotalSeconds);
                await Task.Delay(backoff, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
