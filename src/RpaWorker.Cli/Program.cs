using System.CommandLine;
using RpaWorker.Cli.Commands;

var root = new RootCommand("rpa: extracts clinical data from legacy EHR screens as US Core FHIR R4.")
{
    MockEhrCommand.Create(),
    DemoCommand.Create(),
    ValidateCommand.Create(),
    RunCommand.Create(),
    ScoreCommand.Create(),
    HealCommand.Create(),
    SchemaCommand.Create(),
    ServeCommand.Create(),
    ServeCommand.CreateApiKey(),
};
return await root.Parse(args).InvokeAsync();
