using OrleansScaling.Silo.Hosting;

// One silo with the HTTP API co-hosted. With no ConnectionStrings:storage configured it starts a local Azurite
// (the embedded default) and stops it again when the host stops.
await using var app = await SiloHost.BuildAsync(args);
ShutdownWatchdog.Arm(app);
await app.RunAsync();
