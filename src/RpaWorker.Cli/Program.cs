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
    AuthorCommand.Create(),
    SchemaCommand.Create(),
    ServeCommand.Create(),
    ServeCommand.CreateApiKey(),
};
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // A command line that does not parse could not run: exit 2, never 1 (which says some patients failed).
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine("error: " + error.Message);
    }
    Console.Error.WriteLine("See 'rpa --help', or 'rpa <command> --help' for a command's options.");
    return ExitCodes.CouldNotRun;
}
return await parsed.InvokeAsync();
