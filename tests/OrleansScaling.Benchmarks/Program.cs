using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;

if (args.Length > 0 && args[0] == "lvm-timing")
    return OrleansScaling.Benchmarks.LvmTiming.Run(args);

// The generated benchmark project's build can exceed BenchmarkDotNet's 2-minute default on a small, shared machine.
var config = ManualConfig.Create(DefaultConfig.Instance);
config.BuildTimeout = TimeSpan.FromMinutes(10);
BenchmarkSwitcher.FromAssembly(typeof(OrleansScaling.Benchmarks.PipelineBenchmarks).Assembly).Run(args, config);
return 0;
