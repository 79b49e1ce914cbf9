using System.CommandLine;
using RpaWorker.Playbooks;

namespace RpaWorker.Cli.Commands;

/// <summary><c>rpa validate</c>: checks playbooks and prints every error as <c>file:line:column: message</c>.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Playbook files or folders (searched for *.yaml and *.yml); shared files that playbooks import are checked too.", Arity = ArgumentArity.OneOrMore };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print errors only, no summary." };
        var command = new Command("validate", "Check playbooks; report every error with file:line:column. Exit code 1 when any has an error.")
        {
            paths, quiet,
        };
        command.SetAction(parse =>
        {
            var results = PlaybookLoader.LoadPaths(parse.GetValue(paths)!);
            foreach (var error in results.SelectMany(r => r.Errors))
            {
                Console.Out.WriteLine(error.ToString());
            }
            var bad = results.Count(r => !r.Ok && !(r.IsShared && r.Errors.Count == 0));
            if (!parse.GetValue(quiet))
            {
                var errors = results.Sum(r => r.Errors.Count);
                var shared = results.Count(r => r.IsShared);
                Console.Error.WriteLine(results.Count == 0
                    ? "no playbooks found"
                    : $"{results.Count - shared} playbook(s)" + (shared == 0 ? "" : $" and {shared} shared file(s)") +
                      $" checked: {results.Count - bad} valid, {bad} with errors ({errors} error(s))");
            }
            return results.Count == 0 || bad > 0 ? ExitCodes.PartialFailure : ExitCodes.Ok;
        });
        return command;
    }
}
