using OrleansScaling.Cli;

return OslApp.Run(args, Console.Out, Console.Error);
