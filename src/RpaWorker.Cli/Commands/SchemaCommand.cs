using System.CommandLine;
using RpaWorker.Playbooks;

namespace RpaWorker.Cli.Commands;

/// <summary><c>rpa schema</c>: prints the playbook language's JSON Schema (the source of docs/playbook.schema.json).</summary>
internal static class SchemaCommand
{
    public static Command Create()
    {
        var command = new Command("schema", "Print the JSON Schema of playbooks, for editor completion.");
        command.SetAction(_ =>
        {
            Console.Out.Write(PlaybookSchema.Generate());
            return ExitCodes.Ok;
        });
        return command;
    }
}
