using Antq.Cli;

// antq COMMAND … — see docs/cli.md. Exit codes: 0 done, 1 refused by the platform, 2 wrong command or input file,
// 3 not signed in or sign-in refused, 4 the gateway cannot be reached.
Console.OutputEncoding = System.Text.Encoding.UTF8;
return await AntqCli.RunAsync(args, CliEnvironment.FromProcess());
