using OrleansScaling.Cli;

return await OslApp.RunAsync(args, Console.Out, Console.Error);
