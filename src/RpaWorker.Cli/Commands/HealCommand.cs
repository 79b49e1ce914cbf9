using System.CommandLine;
using System.Globalization;
using RpaWorker.Engine.Healing;

namespace RpaWorker.Cli.Commands;

/// <summary>
/// <c>rpa heal list|show|accept|reject</c>: the heal proposals self-healing wrote down. Accepting one edits the playbook
/// where the target is written (comments and layout stay); rejecting one stops runs from using it.
/// </summary>
internal static class HealCommand
{
    public static Command Create()
    {
        var command = new Command("heal", "Review the targets self-healing found again: list, show, accept (edit the playbook) or reject.");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Decide("accept", "Write the proposal into the playbook files and stop applying it as a heal."));
        command.Subcommands.Add(Decide("reject", "Turn the proposal down: runs no longer use it and do not propose it again."));
        return command;
    }

    private static Argument<FileInfo> PlaybookArgument() => new("playbook") { Description = "The playbook the proposals are for (its heal store sits beside it)." };

    private static Option<FileInfo?> StoreOption() => new("--heal-store") { Description = "The heal store file. Default: NAME.heal.json beside the playbook." };

    private static HealStore? Open(FileInfo playbook, FileInfo? store)
    {
        var path = store?.FullName ?? HealStore.DefaultPathFor(playbook.FullName);
        try
        {
            return HealStore.Open(path);
        }
        catch (HealStoreException ex)
        {
            Console.Error.WriteLine("error: " + ex.Message);
            return null;
        }
    }

    private static Command List()
    {
        var playbook = PlaybookArgument();
        var store = StoreOption();
        var all = new Option<bool>("--all") { Description = "Also list accepted and rejected proposals." };
        var command = new Command("list", "List heal proposals (proposed ones unless --all).") { playbook, store, all };
        command.SetAction(parse =>
        {
            if (Open(parse.GetValue(playbook)!, parse.GetValue(store)) is not { } heals)
            {
                return ExitCodes.CouldNotRun;
            }
            var shown = heals.Proposals.Where(p => parse.GetValue(all) || p.Status == HealStatus.Proposed).ToList();
            foreach (var p in shown)
            {
                var to = p.Locator?.ToString() ?? $"column \"{p.Header}\"";
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{p.Id}  {p.Status,-8}  {p.Playbook} {p.Version}  {p.Target} -> {to}  (score {p.Score:0.00}, next {p.RunnerUp:0.00}, used {p.Uses}x){(p.ChosenBy == HealProposal.ByAi ? ", chosen by the AI tier" : "")}"));
            }
            Console.Error.WriteLine($"{shown.Count} proposal(s) in {heals.Path}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show()
    {
        var playbook = PlaybookArgument();
        var store = StoreOption();
        var id = new Argument<string>("id") { Description = "The proposal's id (or a unique start of it)." };
        var command = new Command("show", "Show a proposal and its change to the playbook as a unified diff.") { playbook, id, store };
        command.SetAction(parse =>
        {
            if (Open(parse.GetValue(playbook)!, parse.GetValue(store)) is not { } heals || Find(heals, parse.GetValue(id)!) is not { } p)
            {
                return ExitCodes.CouldNotRun;
            }
            Console.Out.WriteLine($"{p.Id} ({p.Status}) for {p.Playbook} {p.Version}");
            Console.Out.WriteLine($"target:   {p.Target}");
            Console.Out.WriteLine($"found as: {p.Locator?.ToString() ?? $"column \"{p.Header}\""}");
            if (p.ChosenBy == HealProposal.ByAi)
            {
                Console.Out.WriteLine("chosen by: the AI tier (the deterministic scorer had no clear winner; the choice passed the same checks)");
            }
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"score:    {p.Score:0.00} (next best {p.RunnerUp:0.00}); used {p.Uses} time(s)"));
            Console.Out.WriteLine($"used at:  {string.Join(", ", p.Sites)}");
            Console.Out.Write(p.Diff());
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Decide(string verb, string description)
    {
        var playbook = PlaybookArgument();
        var store = StoreOption();
        var ids = new Argument<string[]>("ids") { Description = "Proposal ids, or 'all' for every proposed one.", Arity = ArgumentArity.OneOrMore };
        var command = new Command(verb, description) { playbook, ids, store };
        command.SetAction(parse =>
        {
            if (Open(parse.GetValue(playbook)!, parse.GetValue(store)) is not { } heals)
            {
                return ExitCodes.CouldNotRun;
            }
            var wanted = parse.GetValue(ids)!;
            List<HealProposal?> proposals = wanted is ["all"]
                ? [.. heals.Proposals.Where(p => p.Status == HealStatus.Proposed)]
                : [.. wanted.Select(i => Find(heals, i))];
            if (proposals.Any(p => p is null))
            {
                return ExitCodes.CouldNotRun;
            }
            foreach (var p in proposals.OfType<HealProposal>())
            {
                if (p.Status != HealStatus.Proposed)
                {
                    Console.Error.WriteLine($"error: {p.Id} is already {p.Status.ToString().ToLowerInvariant()}");
                    return ExitCodes.CouldNotRun;
                }
                try
                {
                    if (verb == "accept")
                    {
                        if (p.Edits.Count == 0)
                        {
                            Console.Error.WriteLine($"error: {p.Id} has no edit that can be made in place; change the playbook by hand, then reject it");
                            return ExitCodes.CouldNotRun;
                        }
                        Console.Out.Write(p.Diff());
                        var files = PlaybookPatch.Apply(p.Edits);
                        heals.SetStatus(p.Id, HealStatus.Accepted);
                        Console.Error.WriteLine($"accepted {p.Id}: edited {string.Join(", ", files)}");
                    }
                    else
                    {
                        heals.SetStatus(p.Id, HealStatus.Rejected);
                        Console.Error.WriteLine($"rejected {p.Id}");
                    }
                }
                catch (HealStoreException ex)
                {
                    Console.Error.WriteLine("error: " + ex.Message);
                    return ExitCodes.CouldNotRun;
                }
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static HealProposal? Find(HealStore heals, string id)
    {
        var found = heals.Find(id);
        if (found is null)
        {
            Console.Error.WriteLine($"error: no heal proposal '{id}' in {heals.Path} (rpa heal list shows them)");
        }
        return found;
    }
}
