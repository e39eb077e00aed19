using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(OrleansScaling.Benchmarks.PipelineBenchmarks).Assembly).Run(args);
