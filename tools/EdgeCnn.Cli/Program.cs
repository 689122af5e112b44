return EdgeCnn.Cli.EdgeCnnCli.Run(args);
