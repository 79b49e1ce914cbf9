using System.Text.RegularExpressions;
using RpaWorker.Playbooks.Loading;
using RpaWorker.Playbooks.Model;

namespace RpaWorker.Playbooks.Validation;

/// <summary>The validators every playbook goes through.</summary>
internal static class BuiltInValidators
{
    public static readonly IReadOnlyList<IPlaybookValidator> All =
    [
        new FlowReferenceValidator(),
        new ReadOnlyGuardValidator(),
        new ReferenceValidator(),
        new TemplateValidator(),
    ];

    /// <summary>Every step of the playbook with the name of the flow it is in, depth first.</summary>
    public static IEnumerable<(string Flow, StepDefinition Step)> AllSteps(PlaybookDefinition p)
    {
        var roots = new List<(string, IReadOnlyList<StepDefinition>)> { ("steps", p.Steps) };
        roots.AddRange(p.Flows.Values.Select(f => ($"flow '{f.Name}'", f.Steps)));
        roots.AddRange(p.Handlers.Select(h => ($"handler '{h.Name}'", h.Do)));
        return roots.SelectMany(r => Walk(r.Item2).Select(s => (r.Item1, s)));
    }

    public static IEnumerable<StepDefinition> Walk(IEnumerable<StepDefinition> steps) => PlaybookSteps.Walk(steps);

    public static IEnumerable<TargetDefinition> Targets(StepDefinition step) => step switch
    {
        ClickStep c => [c.Target],
        FillStep f => [f.Target],
        SelectStep s => [s.Target],
        PressStep { Target: { } t } => [t],
        ExtractStep e => e.Fields.Select(f => f.Target),
        ExtractTableStep t => t.Paginate is null ? [t.Target] : [t.Target, t.Paginate.Next],
        WaitStep w => Targets(w.Until),
        IfStep i => Targets(i.When),
        _ => [],
    };

    public static IEnumerable<TargetDefinition> Targets(ConditionDefinition c) =>
        (c.Target is null ? [] : new[] { c.Target }).Concat(c.Children.SelectMany(Targets));
}

/// <summary>Calls name flows that exist, with the parameters they declare, and flows do not call themselves in a cycle.</summary>
internal sealed class FlowReferenceValidator : IPlaybookValidator
{
    public IEnumerable<PlaybookError> Validate(PlaybookDefinition playbook)
    {
        foreach (var (_, step) in BuiltInValidators.AllSteps(playbook))
        {
            if (step is not CallStep call)
            {
                continue;
            }
            if (!playbook.Flows.TryGetValue(call.Flow, out var flow))
            {
                var known = playbook.Flows.Keys.ToList();
                yield return new PlaybookError(call.Location, $"unknown sub-flow '{call.Flow}'" +
                    (known.Count == 0 ? "; this playbook declares no flows" : $"; declared flows: {string.Join(", ", known)}") +
                    NodeReader.Suggest(call.Flow, known));
                continue;
            }
            foreach (var extra in call.With.Keys.Except(flow.Parameters))
            {
                yield return new PlaybookError(call.Location, $"sub-flow '{flow.Name}' has no parameter '{extra}'" +
                    (flow.Parameters.Count == 0 ? "" : $"; its parameters: {string.Join(", ", flow.Parameters)}"));
            }
            foreach (var missing in flow.Parameters.Except(call.With.Keys))
            {
                yield return new PlaybookError(call.Location, $"call of sub-flow '{flow.Name}' does not give its parameter '{missing}'");
            }
        }

        // Depth-first search over the call graph; each cycle is reported once, at the call that closes it.
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in playbook.Flows.Keys)
        {
            foreach (var error in FindCycles(playbook, start, [start], reported))
            {
                yield return error;
            }
        }
    }

    private static IEnumerable<PlaybookError> FindCycles(PlaybookDefinition playbook, string flow, List<string> path, HashSet<string> reported)
    {
        foreach (var call in BuiltInValidators.Walk(playbook.Flows[flow].Steps).OfType<CallStep>())
        {
            if (!playbook.Flows.ContainsKey(call.Flow))
            {
                continue;
            }
            var at = path.IndexOf(call.Flow);
            if (at >= 0)
            {
                var cycle = path.Skip(at).Append(call.Flow).ToList();
                var key = string.Join(">", cycle.Skip(1).Order(StringComparer.Ordinal));
                if (reported.Add(key))
                {
                    yield return new PlaybookError(call.Location, $"sub-flows call each other in a cycle: {string.Join(" -> ", cycle)}");
                }
                continue;
            }
            path.Add(call.Flow);
            foreach (var e in FindCycles(playbook, call.Flow, path, reported))
            {
                yield return e;
            }
            path.RemoveAt(path.Count - 1);
        }
    }
}

/// <summary>In read-only mode, a click or key press on a control named like a protected word is refused at load.</summary>
internal sealed class ReadOnlyGuardValidator : IPlaybookValidator
{
    public IEnumerable<PlaybookError> Validate(PlaybookDefinition playbook)
    {
        if (!playbook.Guards.ReadOnly)
        {
            yield break;
        }
        foreach (var (_, step) in BuiltInValidators.AllSteps(playbook))
        {
            var target = step switch
            {
                ClickStep c => c.Target,
                PressStep { Target: { } t } => t,
                _ => null,
            };
            foreach (var alt in target?.Alternatives ?? [])
            {
                var text = alt.Kind == TargetKind.Role ? alt.Name : alt.Kind is TargetKind.Text or TargetKind.Label ? alt.Value : null;
                if (text is not null && playbook.Guards.FindProtectedWord(text) is { } word)
                {
                    yield return new PlaybookError(alt.Location, $"{step.Kind} on a control named like '{word}' is refused: guards.read_only is on " +
                                                                 "(set guards.read_only: false only for playbooks that are meant to change the record)");
                }
            }
        }
    }

}

/// <summary>Concept maps, lists and handler names that steps and emits refer to exist.</summary>
internal sealed class ReferenceValidator : IPlaybookValidator
{
    private static readonly HashSet<string> KnownResources = new(StringComparer.Ordinal)
    {
        "Patient", "Practitioner", "Encounter", "Condition", "MedicationRequest", "MedicationStatement", "AllergyIntolerance",
        "Observation", "Immunization", "Procedure", "DiagnosticReport", "DocumentReference", "Organization", "Location",
    };

    public IEnumerable<PlaybookError> Validate(PlaybookDefinition playbook)
    {
        var steps = BuiltInValidators.AllSteps(playbook).Select(s => s.Step).ToList();
        var parsers = steps.OfType<ExtractStep>().SelectMany(e => e.Fields.SelectMany(f => f.Parse))
            .Concat(steps.OfType<ExtractTableStep>().SelectMany(t => t.Columns.SelectMany(c => c.Parse)));
        foreach (var parser in parsers.Where(p => p.Kind == ParserKind.Code && !playbook.ConceptMaps.ContainsKey(p.Map!)))
        {
            yield return new PlaybookError(parser.Location, $"unknown concept map '{parser.Map}'" + NodeReader.Suggest(parser.Map!, playbook.ConceptMaps.Keys));
        }

        // Names a for_each or emit can iterate: lists read by extract_table or llm_extract, inputs, and for_each items of outer loops.
        var lists = steps.OfType<ExtractTableStep>().Select(t => t.Into)
            .Concat(steps.OfType<LlmExtractStep>().SelectMany(l => l.Items.Select(i => i.Into)))
            .Concat(playbook.Inputs.Select(i => i.Name)).ToHashSet(StringComparer.Ordinal);
        var records = steps.OfType<ExtractStep>().Select(e => e.Into)
            .Concat(steps.OfType<LlmExtractStep>().Select(l => l.Document).OfType<string>())
            .Concat(steps.OfType<ForEachStep>().Select(f => f.As)).ToHashSet(StringComparer.Ordinal);
        foreach (var loop in steps.OfType<ForEachStep>().Where(f => !f.In.Contains("{{", StringComparison.Ordinal)))
        {
            var root = loop.In.Split('.')[0];
            if (!lists.Contains(root) && !records.Contains(root))
            {
                yield return new PlaybookError(loop.Location, $"for_each in '{loop.In}': no extract_table reads into '{root}' and no input has that name" +
                                                              NodeReader.Suggest(root, lists));
            }
        }
        foreach (var emit in playbook.Emit)
        {
            if (!KnownResources.Contains(emit.Resource))
            {
                yield return new PlaybookError(emit.Location, $"emit of '{emit.Resource}': not a resource type this worker maps; expected one of: " +
                                                              string.Join(", ", KnownResources.Order(StringComparer.Ordinal)) + NodeReader.Suggest(emit.Resource, KnownResources));
            }
            if (emit.ForEach is { } list && !lists.Contains(list.Split('.')[0]))
            {
                yield return new PlaybookError(emit.Location, $"emit of {emit.Resource} for_each '{list}': no extract_table reads into '{list}'" +
                                                              NodeReader.Suggest(list, lists));
            }
        }
        foreach (var handler in playbook.Handlers)
        {
            if (handler.Do.Count == 0)
            {
                yield return new PlaybookError(handler.Location, $"handler '{handler.Name}' has no steps");
            }
        }
    }
}

/// <summary>Every <c>{{ … }}</c> template is closed and names something.</summary>
internal sealed partial class TemplateValidator : IPlaybookValidator
{
    public IEnumerable<PlaybookError> Validate(PlaybookDefinition playbook)
    {
        var texts = new List<(SourceLocation, string)>();
        foreach (var (_, step) in BuiltInValidators.AllSteps(playbook))
        {
            switch (step)
            {
                case GotoStep g: texts.Add((g.Location, g.Url)); break;
                case FillStep f: texts.Add((f.Location, f.Value)); break;
                case SelectStep s: texts.Add((s.Location, s.Option)); break;
                case CallStep c: texts.AddRange(c.With.Values.Select(v => (c.Location, v))); break;
                case SetStep s: texts.AddRange(s.Values.Values.Select(v => (s.Location, v))); break;
                case ForEachStep f: texts.Add((f.Location, f.In)); break;
            }
            texts.AddRange(BuiltInValidators.Targets(step).SelectMany(t => t.Alternatives).Select(a => (a.Location, a.Value + (a.Name ?? ""))));
        }
        foreach (var emit in playbook.Emit)
        {
            texts.Add((emit.Location, emit.Key));
            texts.AddRange(emit.Map.Select(m => (emit.Location, m.Value)));
            texts.AddRange(new[] { emit.When, emit.Unless }.OfType<string>().Select(t => (emit.Location, t)));
        }
        if (playbook.Guards.PatientBanner is { } banner)
        {
            texts.Add((banner.Location, banner.MustContain));
        }
        foreach (var (at, text) in texts)
        {
            if (Problem(text) is { } problem)
            {
                yield return new PlaybookError(at, problem);
            }
        }
    }

    internal static string? Problem(string text)
    {
        var open = 0;
        for (var i = 0; i < text.Length - 1; i++)
        {
            if (text[i] == '{' && text[i + 1] == '{')
            {
                var close = text.IndexOf("}}", i + 2, StringComparison.Ordinal);
                if (close < 0)
                {
                    return $"template '{Clip(text)}' has '{{{{' without a closing '}}}}'";
                }
                var expression = text[(i + 2)..close].Trim();
                if (!ExpressionPattern().IsMatch(expression))
                {
                    return $"template '{{{{ {Clip(expression)} }}}}' is not a name path such as inputs.mrn or row.code (optionally | filter)";
                }
                i = close + 1;
                open++;
            }
        }
        return null;
    }

    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "…";

    // name(.name|[n])* followed by optional filters: "| upper", "| default: 'x'", "| map: smoking".
    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*(\s*\|\s*[a-z_]+(\s*:\s*('[^']*'|""[^""]*""|[A-Za-z0-9_.\-]+))?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex ExpressionPattern();
}
