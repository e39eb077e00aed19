namespace OrleansScaling.Silo.Hosting;

/// <summary>
/// Shutdown stays within <c>Host:ShutdownTimeout</c> (default 30 s) whatever storage does: the graceful stop gets that
/// budget (HostOptions.ShutdownTimeout), and if the process is still there 5 s later (Orleans retrying a membership
/// table that is gone, for instance) it exits. The embedded Azurite is stopped on the way out by its exit handler.
/// Armed by the process entry point only, never in a host embedded in another process (tests).
/// </summary>
public static class ShutdownWatchdog
{
    public static TimeSpan Timeout(IConfiguration configuration) => configuration.GetValue("Host:ShutdownTimeout", TimeSpan.FromSeconds(30));

    public static void Arm(WebApplication app)
    {
        var limit = Timeout(app.Configuration) + TimeSpan.FromSeconds(5);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ShutdownWatchdog));
        app.Lifetime.ApplicationStopping.Register(() => _ = Task.Run(async () =>
        {
            await Task.Delay(limit);
            logger.LogError("Shutdown did not finish within {Limit} s (storage unreachable?); exiting now", limit.TotalSeconds);
            Environment.Exit(1);
        }));
    }
}
