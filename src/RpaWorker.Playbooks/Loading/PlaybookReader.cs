using System.Globalization;
using RpaWorker.Playbooks.Model;
using RpaWorker.Playbooks.Yaml;

namespace RpaWorker.Playbooks.Loading;

/// <summary>Turns a YAML tree into a <see cref="PlaybookDefinition"/>, recording every error it meets.</summary>
internal sealed partial class PlaybookReader(NodeReader reader)
{
    private readonly NodeReader r = reader;

    private delegate StepDefinition? StepParser(PlaybookReader reader, YNode value, SourceLocation at);

    // One entry per step kind: adding a step kind means one parse function here and one factory in the engine.
    private static readonly Dictionary<string, StepParser> StepKinds = new(StringComparer.Ordinal)
    {
        ["goto"] = (p, v, at) => p.r.String(v, "goto") is { } url ? new GotoStep(url) { Location = at } : null,
        ["click"] = (p, v, at) => p.Target(v, "click") is { } t ? new ClickStep(t) { Location = at } : null,
        ["fill"] = (p, v, at) => p.Fill(v, at),
        ["select"] = (p, v, at) => p.Select(v, at),
        ["press"] = (p, v, at) => p.Press(v, at),
        ["wait"] = (p, v, at) => p.Wait(v, at),
        ["accept_dialog"] = (_, _, at) => new AcceptDialogStep { Location = at },
        ["reload"] = (_, _, at) => new ReloadStep { Location = at },
        ["extract"] = (p, v, at) => p.Extract(v, at),
        ["extract_table"] = (p, v, at) => p.ExtractTable(v, at),
        ["llm_extract"] = (p, v, at) => p.LlmExtract(v, at),
        ["for_each"] = (p, v, at) => p.ForEach(v, at),
        ["call"] = (p, v, at) => p.Call(v, at),
        ["if"] = (p, v, at) => p.If(v, at),
        ["set"] = (p, v, at) => p.Set(v, at),
        ["checkpoint"] = (p, v, at) => p.r.String(v, "checkpoint") is { } n ? new CheckpointStep(n) { Location = at } : null,
        ["fail"] = (p, v, at) => p.r.String(v, "fail") is { } m ? new FailStep(m) { Location = at } : null,
    };

    /// <summary>The step keywords, for messages and the JSON Schema.</summary>
    public static IReadOnlyCollection<string> StepKeywords => StepKinds.Keys;

    /// <summary>The playbook in <paramref name="root"/>, with the flows, concept maps and emits of <paramref name="imported"/> merged in.</summary>
    public PlaybookDefinition? Playbook(YNode root, IReadOnlyList<YMap> imported)
    {
        if (r.Map(root, "a playbook") is not { } map)
        {
            return null;
        }
        r.OnlyKeys(map, "a playbook", [.. PlaybookNames.TopLevel]);
        var id = r.RequiredString(map, "playbook", "a playbook");
        var version = r.RequiredString(map, "version", "a playbook");
        if (version is not null && !System.Version.TryParse(version.Split('-')[0], out _))
        {
            r.Error(map["version"]!.Location, $"version '{version}' is not a version number such as 1.2.0");
        }
        DriverKind? driver = map.Has("driver") ? r.Enum(map["driver"], "driver", PlaybookNames.Drivers) : null;
        if (!map.Has("driver"))
        {
            r.Error(map.Location, $"a playbook needs 'driver' ({string.Join(", ", PlaybookNames.Drivers.Keys)})");
        }
        if (!map.Has("steps"))
        {
            r.Error(map.Location, "a playbook needs 'steps'");
        }
        var definition = new PlaybookDefinition
        {
            Id = id ?? "",
            Version = version ?? "",
            Ehr = Ehr(map["ehr"]),
            Driver = driver ?? DriverKind.Web,
            Credentials = map.Has("credentials") ? r.String(map["credentials"], "credentials") : null,
            Inputs = Inputs(map["inputs"]),
            Guards = Guards(map["guards"]),
            Handlers = Handlers(map["on"]),
            Flows = Flows(Merged(imported, map, "flows")),
            ConceptMaps = ConceptMaps(Merged(imported, map, "concept_maps")),
            Steps = Steps(map["steps"], "steps"),
            Emit = [.. Merged(imported, map, "emit").SelectMany(Emits)],
            Location = map.Location,
        };
        return definition;
    }

    /// <summary>
    /// A shared file read on its own (not through a playbook that imports it): its flows, concept maps and emits as
    /// the steps-less definition of a playbook, so their shape and templates can be checked.
    /// </summary>
    public PlaybookDefinition SharedFile(YMap root, IReadOnlyList<YMap> imported) => new()
    {
        Id = "",
        Version = "",
        Driver = DriverKind.Web,
        Flows = Flows(Merged(imported, root, "flows")),
        ConceptMaps = ConceptMaps(Merged(imported, root, "concept_maps")),
        Steps = [],
        Emit = [.. Merged(imported, root, "emit").SelectMany(Emits)],
        Location = root.Location,
    };

    /// <summary>The value of <paramref name="key"/> in each imported file, then in the file itself: the merge order.</summary>
    private static List<YNode> Merged(IReadOnlyList<YMap> imported, YMap own, string key) =>
        [.. imported.Append(own).Select(m => m[key]).OfType<YNode>()];

    private EhrDefinition? Ehr(YNode? node)
    {
        if (r.Map(node, "ehr") is not { } map)
        {
            return null;
        }
        r.OnlyKeys(map, "ehr", "vendor", "product", "versions");
        return new EhrDefinition(r.String(map["vendor"], "ehr vendor"), r.String(map["product"], "ehr product"),
            r.List(map["versions"]).Select(v => r.String(v, "an ehr version")).OfType<string>().ToList());
    }

    private List<InputDefinition> Inputs(YNode? node)
    {
        var list = new List<InputDefinition>();
        if (r.Map(node, "inputs") is not { } map)
        {
            return list;
        }
        var types = new Dictionary<string, InputType>(StringComparer.Ordinal)
        {
            ["string"] = InputType.String, ["integer"] = InputType.Integer, ["date"] = InputType.Date, ["boolean"] = InputType.Boolean,
        };
        foreach (var (key, value) in map.Entries)
        {
            var what = $"input '{key.Value}'";
            if (value is YScalar { IsNull: true })
            {
                list.Add(new InputDefinition { Name = key.Value, Location = key.Location });
                continue;
            }
            if (r.Map(value, what) is not { } spec)
            {
                continue;
            }
            r.OnlyKeys(spec, what, "type", "pattern", "required", "default");
            var pattern = spec.Has("pattern") ? r.String(spec["pattern"], $"pattern of {what}") : null;
            if (pattern is not null && !IsRegex(pattern, out var why))
            {
                r.Error(spec["pattern"]!.Location, $"pattern of {what} is not a valid regular expression: {why}");
            }
            var @default = spec.Has("default") ? r.String(spec["default"], $"default of {what}") : null;
            list.Add(new InputDefinition
            {
                Name = key.Value,
                Type = spec.Has("type") ? r.Enum(spec["type"], $"type of {what}", types) ?? InputType.String : InputType.String,
                Pattern = pattern,
                Default = @default,
                Required = spec.Has("required") ? r.Bool(spec["required"], $"required of {what}") ?? true : @default is null,
                Location = key.Location,
            });
        }
        return list;
    }

    private GuardsDefinition Guards(YNode? node)
    {
        if (r.Map(node, "guards") is not { } map)
        {
            return new GuardsDefinition();
        }
        r.OnlyKeys(map, "guards", "read_only", "protected_words", "allowed_phrases", "patient_banner");
        BannerGuardDefinition? banner = null;
        if (r.Map(map["patient_banner"], "guards.patient_banner") is { } b)
        {
            r.OnlyKeys(b, "guards.patient_banner", "target", "must_contain");
            var target = b.Has("target") ? Target(b["target"], "guards.patient_banner target") : null;
            var mustContain = r.RequiredString(b, "must_contain", "guards.patient_banner");
            if (!b.Has("target"))
            {
                r.Error(b.Location, "guards.patient_banner needs 'target'");
            }
            if (target is not null && mustContain is not null)
            {
                banner = new BannerGuardDefinition(target, mustContain, b.Location);
            }
        }
        var defaults = new GuardsDefinition();
        return new GuardsDefinition
        {
            ReadOnly = map.Has("read_only") ? r.Bool(map["read_only"], "guards.read_only") ?? true : true,
            ProtectedWords = map.Has("protected_words")
                ? r.List(map["protected_words"]).Select(w => r.String(w, "a protected word")).OfType<string>().ToList()
                : defaults.ProtectedWords,
            AllowedPhrases = map.Has("allowed_phrases")
                ? r.List(map["allowed_phrases"]).Select(w => r.String(w, "an allowed phrase")).OfType<string>().ToList()
                : defaults.AllowedPhrases,
            PatientBanner = banner,
        };
    }

    private List<HandlerDefinition> Handlers(YNode? node)
    {
        var list = new List<HandlerDefinition>();
        if (r.Map(node, "on") is not { } map)
        {
            return list;
        }
        foreach (var (key, value) in map.Entries)
        {
            var what = $"handler '{key.Value}'";
            if (r.Map(value, what) is not { } spec)
            {
                continue;
            }
            r.OnlyKeys(spec, what, "when", "do", "max", "retry_step");
            var when = spec.Has("when") ? Condition(spec["when"], $"'when' of {what}") : null;
            if (!spec.Has("when"))
            {
                r.Error(spec.Location, $"{what} needs 'when': the condition on the screen that triggers it");
            }
            if (!spec.Has("do"))
            {
                r.Error(spec.Location, $"{what} needs 'do': the steps to run");
            }
            var steps = Steps(spec["do"], $"'do' of {what}");
            if (when is not null)
            {
                list.Add(new HandlerDefinition
                {
                    Name = key.Value,
                    When = when,
                    Do = steps,
                    MaxPerItem = spec.Has("max") ? r.Int(spec["max"], $"max of {what}", 1) ?? 5 : 5,
                    RetryStep = spec.Has("retry_step") ? r.Bool(spec["retry_step"], $"retry_step of {what}") ?? true : true,
                    Location = key.Location,
                });
            }
        }
        return list;
    }

    private Dictionary<string, FlowDefinition> Flows(IEnumerable<YNode> nodes)
    {
        var flows = new Dictionary<string, FlowDefinition>(StringComparer.Ordinal);
        foreach (var (key, value) in Named(nodes, "flows", "flow", flows, f => f.Location))
        {
            var what = $"flow '{key.Value}'";
            // A flow is either a list of steps, or a mapping with params and steps.
            if (value is YMap spec)
            {
                r.OnlyKeys(spec, what, "params", "steps");
                var parameters = r.List(spec["params"]).Select(p => r.String(p, $"a parameter of {what}")).OfType<string>().ToList();
                if (!spec.Has("steps"))
                {
                    r.Error(spec.Location, $"{what} needs 'steps'");
                }
                flows[key.Value] = new FlowDefinition(key.Value, parameters, Steps(spec["steps"], $"steps of {what}"), key.Location);
            }
            else
            {
                flows[key.Value] = new FlowDefinition(key.Value, [], Steps(value, $"steps of {what}"), key.Location);
            }
        }
        return flows;
    }

    private Dictionary<string, ConceptMapDefinition> ConceptMaps(IEnumerable<YNode> nodes)
    {
        var maps = new Dictionary<string, ConceptMapDefinition>(StringComparer.Ordinal);
        foreach (var (key, value) in Named(nodes, "concept_maps", "concept map", maps, m => m.Location))
        {
            var what = $"concept map '{key.Value}'";
            if (r.Map(value, what) is not { } spec)
            {
                continue;
            }
            r.OnlyKeys(spec, what, "system", "codes");
            var system = r.RequiredString(spec, "system", what);
            var entries = new Dictionary<string, MappedCode>(StringComparer.OrdinalIgnoreCase);
            if (r.Map(spec["codes"], $"codes of {what}") is { } codes)
            {
                foreach (var (local, target) in codes.Entries)
                {
                    MappedCode? code = target switch
                    {
                        YScalar s when !s.IsNull => new MappedCode(s.Value, null),
                        YMap m => MappedFromMap(m, $"code '{local.Value}' of {what}"),
                        _ => null,
                    };
                    if (code is null)
                    {
                        r.Error(target.Location, $"code '{local.Value}' of {what} must be a code or {{ code, display }}");
                        continue;
                    }
                    if (!entries.TryAdd(local.Value, code))
                    {
                        r.Error(local.Location, $"'{local.Value}' is listed twice in {what} (local codes are matched case-insensitively)");
                    }
                }
            }
            else if (!spec.Has("codes"))
            {
                r.Error(spec.Location, $"{what} needs 'codes'");
            }
            maps[key.Value] = new ConceptMapDefinition(key.Value, system ?? "", entries, key.Location);
        }
        return maps;
    }

    /// <summary>
    /// The entries of the <paramref name="section"/> mappings of a playbook and the files it imports, leaving out (as an
    /// error at the later one) a name that an earlier file already defines: a name means one thing in a playbook.
    /// </summary>
    private IEnumerable<KeyValuePair<YScalar, YNode>> Named<T>(IEnumerable<YNode> nodes, string section, string what,
        Dictionary<string, T> defined, Func<T, SourceLocation> location)
    {
        foreach (var node in nodes)
        {
            if (r.Map(node, section) is not { } map)
            {
                continue;
            }
            foreach (var entry in map.Entries)
            {
                if (defined.TryGetValue(entry.Key.Value, out var earlier))
                {
                    r.Error(entry.Key.Location, $"{what} '{entry.Key.Value}' is already defined at {location(earlier)}; " +
                                                "a name is defined once across a playbook and the files it imports");
                    continue;
                }
                yield return entry;
            }
        }
    }

    private MappedCode? MappedFromMap(YMap m, string what)
    {
        r.OnlyKeys(m, what, "code", "display");
        return r.RequiredString(m, "code", what) is { } code ? new MappedCode(code, r.String(m["display"], $"display of {what}")) : null;
    }

    public List<StepDefinition> Steps(YNode? node, string what)
    {
        var steps = new List<StepDefinition>();
        if (node is null)
        {
            return steps;
        }
        if (node is not YSeq seq)
        {
            r.Error(node.Location, $"{what} must be a list of steps (lines starting with '- '), not {node.KindName}");
            return steps;
        }
        if (seq.Items.Count == 0)
        {
            r.Error(seq.Location, $"{what} is an empty list; expected at least one step");
        }
        foreach (var item in seq.Items)
        {
            if (Step(item) is { } step)
            {
                steps.Add(step);
            }
        }
        return steps;
    }

    private StepDefinition? Step(YNode node)
    {
        // `- accept_dialog` alone is allowed for steps that take no arguments.
        if (node is YScalar { IsNull: false } bare && StepKinds.TryGetValue(bare.Value, out var bareParser) && bare.Value is "accept_dialog" or "reload")
        {
            return bareParser(this, new YScalar(bare.Location, "", IsPlain: true), bare.Location);
        }
        if (r.Map(node, "a step") is not { } map)
        {
            return null;
        }
        var kinds = map.Entries.Where(e => !PlaybookNames.StepModifiers.Contains(e.Key.Value)).ToList();
        if (kinds.Count == 0)
        {
            r.Error(map.Location, $"a step needs one of: {string.Join(", ", StepKinds.Keys)}");
            return null;
        }
        if (kinds.Count > 1 && kinds.Count(k => StepKinds.ContainsKey(k.Key.Value)) > 1)
        {
            r.Error(kinds[1].Key.Location, $"a step has one kind, but this one has '{kinds[0].Key.Value}' and '{kinds[1].Key.Value}'; " +
                                            "put each in its own list item ('- ')");
            return null;
        }
        var kind = kinds.FirstOrDefault(k => StepKinds.ContainsKey(k.Key.Value));
        foreach (var other in kinds.Where(k => k.Key.Value != kind.Key?.Value))
        {
            r.Error(other.Key.Location, $"unknown step '{other.Key.Value}'; expected one of: {string.Join(", ", StepKinds.Keys)}" +
                                        NodeReader.Suggest(other.Key.Value, StepKinds.Keys));
        }
        if (kind.Key is null)
        {
            return null;
        }
        var step = StepKinds[kind.Key.Value](this, kind.Value, kind.Key.Location);
        if (step is null)
        {
            return null;
        }
        var id = map.Has("id") ? r.String(map["id"], "step id") : null;
        var timeout = map.Has("timeout") ? r.Duration(map["timeout"], "step timeout") : null;
        var optional = map.Has("optional") && (r.Bool(map["optional"], "step optional") ?? false);
        return step with { Id = id, Timeout = timeout, Retry = map.Has("retry") ? Retry(map["retry"]) : null, Optional = optional };
    }

    private RetryDefinition? Retry(YNode? node)
    {
        if (r.Map(node, "retry") is not { } map)
        {
            return null;
        }
        r.OnlyKeys(map, "retry", "attempts", "backoff");
        var attempts = map.Has("attempts") ? r.Int(map["attempts"], "retry attempts", 1) : 3;
        var backoff = map.Has("backoff") ? r.Duration(map["backoff"], "retry backoff") : TimeSpan.FromMilliseconds(500);
        return attempts is null || backoff is null ? null : new RetryDefinition(attempts.Value, backoff.Value);
    }

    public TargetDefinition? Target(YNode? node, string what)
    {
        if (node is null)
        {
            return null;
        }
        // A bare string is shorthand for { text: ... }: `click: "Search"`.
        if (node is YScalar { IsNull: false } s)
        {
            return new TargetDefinition([new TargetAlternative { Kind = TargetKind.Text, Value = s.Value, Location = s.Location }], s.Location);
        }
        var alternatives = new List<TargetAlternative>();
        foreach (var item in r.List(node))
        {
            if (r.Map(item, $"a target of {what}") is not { } map)
            {
                continue;
            }
            r.OnlyKeys(map, $"a target of {what}", [.. PlaybookNames.Targets.Keys, .. PlaybookNames.TargetModifiers]);
            var kinds = map.Entries.Where(e => PlaybookNames.Targets.ContainsKey(e.Key.Value)).ToList();
            if (kinds.Count != 1)
            {
                r.Error(map.Location, kinds.Count == 0
                    ? $"a target of {what} needs one of: {string.Join(", ", PlaybookNames.Targets.Keys)}"
                    : $"a target of {what} has both '{kinds[0].Key.Value}' and '{kinds[1].Key.Value}'; write fallbacks as a list: [ {{ {kinds[0].Key.Value}: … }}, {{ {kinds[1].Key.Value}: … }} ]");
                continue;
            }
            var (key, value) = kinds[0];
            var kind = PlaybookNames.Targets[key.Value];
            if (map.Has("name") && kind != TargetKind.Role)
            {
                r.Error(map["name"]!.Location, "'name' goes with 'role' only");
            }
            if (r.String(value, $"'{key.Value}' of {what}") is not { } text)
            {
                continue;
            }
            alternatives.Add(new TargetAlternative
            {
                Kind = kind,
                Value = text,
                Name = map.Has("name") ? r.String(map["name"], "target name") : null,
                Exact = map.Has("exact") && (r.Bool(map["exact"], "target exact") ?? false),
                Index = map.Has("index") ? r.Int(map["index"], "target index", 0) : null,
                Frame = map.Has("frame") ? r.String(map["frame"], "target frame") : null,
                Location = key.Location,
            });
        }
        if (alternatives.Count == 0)
        {
            if (node is YSeq { Items.Count: 0 })
            {
                r.Error(node.Location, $"{what} has an empty list of targets");
            }
            return null;
        }
        return new TargetDefinition(alternatives, node.Location);
    }

    public ConditionDefinition? Condition(YNode? node, string what)
    {
        if (r.Map(node, what) is not { } map)
        {
            return null;
        }
        var kinds = map.Entries.Where(e => PlaybookNames.Conditions.ContainsKey(e.Key.Value)).ToList();
        // A mapping of target keys ({ role: dialog }) is shorthand for { visible: { role: dialog } }.
        if (kinds.Count == 0 && map.Entries.Any(e => PlaybookNames.Targets.ContainsKey(e.Key.Value)))
        {
            return Target(map, what) is { } t ? new ConditionDefinition { Kind = ConditionKind.Visible, Target = t, Location = map.Location } : null;
        }
        r.OnlyKeys(map, what, [.. PlaybookNames.Conditions.Keys]);
        if (kinds.Count != 1)
        {
            if (kinds.Count > 1)
            {
                r.Error(map.Location, $"{what} has both '{kinds[0].Key.Value}' and '{kinds[1].Key.Value}'; combine conditions with all: [ … ] or any: [ … ]");
            }
            else if (map.Entries.Count == 0)
            {
                r.Error(map.Location, $"{what} is empty; expected one of: {string.Join(", ", PlaybookNames.Conditions.Keys)}");
            }
            return null;
        }
        var (key, value) = kinds[0];
        var kind = PlaybookNames.Conditions[key.Value];
        switch (kind)
        {
            case ConditionKind.Text or ConditionKind.Url:
                return r.String(value, $"'{key.Value}' of {what}") is { } text
                    ? new ConditionDefinition { Kind = kind, Text = text, Location = key.Location }
                    : null;
            case ConditionKind.Dialog:
                return new ConditionDefinition { Kind = kind, Text = value is YScalar { IsNull: true } ? null : r.String(value, $"'dialog' of {what}"), Location = key.Location };
            case ConditionKind.Visible or ConditionKind.Hidden:
                return Target(value, $"'{key.Value}' of {what}") is { } target
                    ? new ConditionDefinition { Kind = kind, Target = target, Location = key.Location }
                    : null;
            case ConditionKind.Not:
                return Condition(value, $"'not' of {what}") is { } inner
                    ? new ConditionDefinition { Kind = kind, Children = [inner], Location = key.Location }
                    : null;
            default:
                var children = r.List(value).Select(c => Condition(c, $"'{key.Value}' of {what}")).OfType<ConditionDefinition>().ToList();
                if (children.Count == 0)
                {
                    r.Error(value.Location, $"'{key.Value}' of {what} needs a list of conditions");
                    return null;
                }
                return new ConditionDefinition { Kind = kind, Children = children, Location = key.Location };
        }
    }

    private FillStep? Fill(YNode v, SourceLocation at)
    {
        if (r.Map(v, "fill") is not { } map)
        {
            return null;
        }
        r.OnlyKeys(map, "fill", "target", "value", "secret");
        var target = RequiredTarget(map, "fill");
        var value = map.Has("value") ? (map["value"] is YScalar { IsNull: true } ? "" : r.String(map["value"], "value of fill")) : null;
        if (!map.Has("value"))
        {
            r.Error(map.Location, "fill needs 'value'");
        }
        var secret = map.Has("secret") && (r.Bool(map["secret"], "secret of fill") ?? false);
        return target is null || value is null ? null : new FillStep(target, value, secret) { Location = at };
    }

    private SelectStep? Select(YNode v, SourceLocation at)
    {
        if (r.Map(v, "select") is not { } map)
        {
            return null;
        }
        r.OnlyKeys(map, "select", "target", "option");
        var target = RequiredTarget(map, "select");
        var option = r.RequiredString(map, "option", "select");
        return target is null || option is null ? null : new SelectStep(target, option) { Location = at };
    }

    private PressStep? Press(YNode v, SourceLocation at)
    {
        if (v is YScalar)
        {
            return r.String(v, "press") is { } k ? new PressStep(k, null) { Location = at } : null;
        }
        if (r.Map(v, "press") is not { } map)
        {
            return null;
        }
        r.OnlyKeys(map, "press", "key", "target");
        var key = r.RequiredString(map, "key", "press");
        return key is null ? null : new PressStep(key, map.Has("target") ? Target(map["target"], "press") : null) { Location = at };
    }

    private WaitStep? Wait(YNode v, SourceLocation at)
    {
        if (v is YScalar { IsNull: false } s && char.IsDigit(s.Value.FirstOrDefault()))
        {
            r.Error(s.Location, $"wait takes a condition, not a fixed time ('{s.Value}'): write wait: {{ until: {{ visible: … }} }}");
            return null;
        }
        if (r.Map(v, "wait") is not { } map)
        {
            return null;
        }
        r.OnlyKeys(map, "wait", "until");
        if (!map.Has("until"))
        {
            r.Error(map.Location, "wait needs 'until': a condition on the screen (fixed sleeps are not part of the language)");
            return null;
        }
        return Condition(map["until"], "'until' of wait") is { } c ? new WaitStep(c) { Location = at } : null;
    }

    private ExtractStep? Extract(YNode v, SourceLocation at)
    {
        if (r.Map(v, "extract") is not { } map)
        {
            return null;
        }
        r.OnlyKeys(map, "extract", "into", "fields");
        var into = r.RequiredString(map, "into", "extract");
        var fields = new List<FieldDefinition>();
        if (r.Map(map["fields"], "fields of extract") is { } fieldMap)
        {
            foreach (var (key, value) in fieldMap.Entries)
            {
                var what = $"field '{key.Value}'";
                if (r.Map(value, what) is not { } spec)
                {
                    continue;
                }
                r.OnlyKeys(spec, what, "target", "parse", "required");
                if (RequiredTarget(spec, what) is not { } target)
                {
                    continue;
                }
                fields.Add(new FieldDefinition
                {
                    Name = key.Value,
                    Target = target,
                    Parse = ParserChain(spec["parse"], $"parse of {what}"),
                    Required = !spec.Has("required") || (r.Bool(spec["required"], $"required of {what}") ?? true),
                    Location = key.Location,
                });
            }
        }
        else if (!map.Has("fields"))
        {
            r.Error(map.Location, "extract needs 'fields'");
        }
        return into is null ? null : new ExtractStep(into, fields) { Location = at };
    }

    // A list of values, or the name of a built-in list.
    private IReadOnlyList<string> KnownValues(YNode? node, string what)
    {
        if (node is YScalar { IsNull: false } name)
        {
            if (KnownValueLists.ByName.TryGetValue(name.Value, out var list))
            {
                return list;
            }
            r.Error(name.Location, $"{what} must be a list of values or the name of a built-in list ({string.Join(", ", KnownValueLists.ByName.Keys)}), not '{name.Value}'");
            return [];
        }
        var values = r.List(node).Select((n, i) => r.String(n, $"item {i + 1} of {what}")).OfType<string>().ToList();
        if (values.Count == 0 && node is not null)
        {
            r.Error(node.Location, $"{what} is empty; list the values the column holds, or name a built-in list ({string.Join(", ", KnownValueLists.ByName.Keys)})");
        }
        return values;
    }

    private ExtractTableStep? ExtractTable(YNode v, SourceLocation at)
    {
        if (r.Map(v, "extract_table") is not { } map)
        {
            return null;
        }
        r.OnlyKeys(map, "extract_table", "into", "target", "columns", "paginate", "keep_empty_rows", "transposed");
        var into = r.RequiredString(map, "into", "extract_table");
        var target = RequiredTarget(map, "extract_table");
        var columns = new List<ColumnDefinition>();
        if (r.Map(map["columns"], "columns of extract_table") is { } colMap)
        {
            foreach (var (key, value) in colMap.Entries)
            {
                var what = $"column '{key.Value}'";
                switch (value)
                {
                    case YScalar { IsNull: false } s:
                        columns.Add(new ColumnDefinition { Header = key.Value, Field = s.Value, Location = key.Location });
                        break;
                    default:
                        if (r.Map(value, what) is not { } spec)
                        {
                            break;
                        }
                        r.OnlyKeys(spec, what, "field", "parse", "required", "known_values");
                        if (r.RequiredString(spec, "field", what) is { } field)
                        {
                            columns.Add(new ColumnDefinition
                            {
                                Header = key.Value,
                                Field = field,
                                Parse = ParserChain(spec["parse"], $"parse of {what}"),
                                Required = spec.Has("required") && (r.Bool(spec["required"], $"required of {what}") ?? false),
                                KnownValues = spec.Has("known_values") ? KnownValues(spec["known_values"], $"known_values of {what}") : [],
                                Location = key.Location,
                            });
                        }
                        break;
                }
            }
        }
        else if (!map.Has("columns"))
        {
            r.Error(map.Location, "extract_table needs 'columns' (header text: field name)");
        }
        PaginateDefinition? paginate = null;
        if (r.Map(map["paginate"], "paginate") is { } p)
        {
            r.OnlyKeys(p, "paginate", "next", "max_pages");
            var next = RequiredTarget(p, "paginate", "next");
            var max = p.Has("max_pages") ? r.Int(p["max_pages"], "max_pages", 1) : 200;
            if (next is not null && max is not null)
            {
                paginate = new PaginateDefinition(next, max.Value, p.Location);
            }
        }
        if (into is null || target is null)
        {
            return null;
        }
        return new ExtractTableStep(into, target, columns, paginate)
        {
            Location = at,
            KeepEmptyRows = map.Has("keep_empty_rows") && (r.Bool(map["keep_empty_rows"], "keep_empty_rows") ?? false),
            Transposed = map.Has("transposed") && (r.Bool(map["transposed"], "transposed") ?? false),
        };
    }

    private ForEachStep? ForEach(YNode v, SourceLocation at)
    {
        if (r.Map(v, "for_each") is not { } map)
        {
            return null;
        }
        r.OnlyKeys(map, "for_each", "in", "as", "do", "work_item");
        var @in = r.RequiredString(map, "in", "for_each");
        var @as = map.Has("as") ? r.String(map["as"], "as of for_each") : "item";
        if (!map.Has("do"))
        {
            r.Error(map.Location, "for_each needs 'do': the steps to run for each item");
        }
        var steps = Steps(map["do"], "'do' of for_each");
        var workItem = map.Has("work_item") && (r.Bool(map["work_item"], "work_item of for_each") ?? false);
        return @in is null || @as is null ? null : new ForEachStep(@in, @as, steps) { Location = at, WorkItem = workItem };
    }

    private CallStep? Call(YNode v, SourceLocation at)
    {
        if (v is YScalar)
        {
            return r.String(v, "call") is { } flow ? new CallStep(flow, new Dictionary<string, string>()) { Location = at } : null;
        }
        if (r.Map(v, "call") is not { } map)
        {
            return null;
        }
        r.OnlyKeys(map, "call", "flow", "with");
        var name = r.RequiredString(map, "flow", "call");
        return name is null ? null : new CallStep(name, StringMap(map["with"], "with of call")) { Location = at };
    }

    private IfStep? If(YNode v, SourceLocation at)
    {
        if (r.Map(v, "if") is not { } map)
        {
            return null;
        }
        r.OnlyKeys(map, "if", "when", "then", "else");
        if (!map.Has("when") || !map.Has("then"))
        {
            r.Error(map.Location, "if needs 'when' (a condition) and 'then' (steps)");
        }
        var when = Condition(map["when"], "'when' of if");
        var then = Steps(map["then"], "'then' of if");
        var @else = map.Has("else") ? Steps(map["else"], "'else' of if") : [];
        return when is null ? null : new IfStep(when, then, @else) { Location = at };
    }

    private SetStep? Set(YNode v, SourceLocation at) =>
        r.Map(v, "set") is null ? null : new SetStep(StringMap(v, "set")) { Location = at };

    private Dictionary<string, string> StringMap(YNode? node, string what)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (r.Map(node, what) is { } map)
        {
            foreach (var (key, value) in map.Entries)
            {
                if (value is YScalar { IsNull: true })
                {
                    result[key.Value] = "";
                }
                else if (r.String(value, $"'{key.Value}' of {what}") is { } s)
                {
                    result[key.Value] = s;
                }
            }
        }
        return result;
    }

    private List<EmitDefinition> Emits(YNode node)
    {
        var list = new List<EmitDefinition>();
        foreach (var item in r.List(node))
        {
            if (r.Map(item, "an emit entry") is not { } map)
            {
                continue;
            }
            r.OnlyKeys(map, "an emit entry", "resource", "for_each", "as", "when", "unless", "key", "map");
            var resource = r.RequiredString(map, "resource", "an emit entry");
            var what = resource is null ? "an emit entry" : $"emit of {resource}";
            var key = r.RequiredString(map, "key", what);
            var assignments = new List<KeyValuePair<string, string>>();
            if (r.Map(map["map"], $"map of {what}") is { } m)
            {
                foreach (var (path, value) in m.Entries)
                {
                    if (value is YScalar { IsNull: true })
                    {
                        r.Error(value.Location, $"'{path.Value}' of {what} has no value");
                    }
                    else if (r.String(value, $"'{path.Value}' of {what}") is { } s)
                    {
                        assignments.Add(new(path.Value, s));
                    }
                }
            }
            else if (!map.Has("map"))
            {
                r.Error(map.Location, $"{what} needs 'map' (FHIR path: value)");
            }
            if (resource is null || key is null)
            {
                continue;
            }
            list.Add(new EmitDefinition
            {
                Resource = resource,
                ForEach = map.Has("for_each") ? r.String(map["for_each"], $"for_each of {what}") : null,
                As = map.Has("as") ? r.String(map["as"], $"as of {what}") ?? "row" : "row",
                When = map.Has("when") ? r.String(map["when"], $"when of {what}") : null,
                Unless = map.Has("unless") ? r.String(map["unless"], $"unless of {what}") : null,
                Key = key,
                Map = assignments,
                Location = map.Location,
            });
        }
        return list;
    }

    private List<ParserDefinition> ParserChain(YNode? node, string what) =>
        node is null ? [] : [.. r.List(node).Select(n => Parser(n, what)).OfType<ParserDefinition>()];

    private ParserDefinition? Parser(YNode node, string what)
    {
        string keyword;
        YNode? argument = null;
        var past = false;
        switch (node)
        {
            case YScalar { IsNull: false } s:
                // "name.last_comma_first" is shorthand for { name: last_comma_first }.
                var dot = s.Value.IndexOf('.');
                keyword = dot < 0 ? s.Value : s.Value[..dot];
                argument = dot < 0 ? null : new YScalar(s.Location, s.Value[(dot + 1)..], IsPlain: false);
                break;
            case YMap { Entries.Count: 1 } m:
                keyword = m.Entries[0].Key.Value;
                argument = m.Entries[0].Value;
                break;
            case YMap { Entries.Count: 2 } m when m.Has("past") && m.Entries.Any(e => e.Key.Value is "date" or "datetime"):
                var dateEntry = m.Entries.First(e => e.Key.Value is "date" or "datetime");
                keyword = dateEntry.Key.Value;
                argument = dateEntry.Value;
                past = r.Bool(m["past"], $"past of {what}") ?? false;
                break;
            default:
                r.Error(node.Location, $"{what} must be a parser such as date: \"MM/dd/yyyy\" or name.last_comma_first, not {node.KindName}");
                return null;
        }
        if (!PlaybookNames.Parsers.TryGetValue(keyword, out var kind))
        {
            r.Error(node.Location, $"unknown parser '{keyword}' in {what}; expected one of: {string.Join(", ", PlaybookNames.Parsers.Keys)}" +
                                   NodeReader.Suggest(keyword, PlaybookNames.Parsers.Keys));
            return null;
        }
        var args = argument is null or YScalar { IsNull: true } or YMap ? [] : r.List(argument).Select(a => r.String(a, $"{keyword} of {what}")).OfType<string>().ToList();
        var at = node.Location;
        switch (kind)
        {
            case ParserKind.Date or ParserKind.DateTime:
                if (args.Count == 0)
                {
                    r.Error(at, $"{keyword} in {what} needs at least one format, e.g. {keyword}: \"MM/dd/yyyy\"");
                    return null;
                }
                foreach (var format in args)
                {
                    if (DateFormatProblem(format, kind == ParserKind.DateTime) is { } problem)
                    {
                        r.Error(argument!.Location, $"bad {keyword} format '{format}' in {what}: {problem}");
                    }
                }
                return new ParserDefinition { Kind = kind, Formats = args, Past = past, Location = at };
            case ParserKind.Name:
                var layout = args.FirstOrDefault() ?? "last_comma_first";
                if (!PlaybookNames.NameLayouts.Contains(layout))
                {
                    r.Error(at, $"name layout '{layout}' in {what} is not one of: {string.Join(", ", PlaybookNames.NameLayouts)}");
                }
                return new ParserDefinition { Kind = kind, Formats = [layout], Location = at };
            case ParserKind.Code:
                var mapName = argument is YMap cm ? r.String(cm["map"], $"map of {what}") : args.FirstOrDefault();
                if (mapName is null)
                {
                    r.Error(at, $"code in {what} needs a concept map: code: {{ map: name }}");
                    return null;
                }
                return new ParserDefinition { Kind = kind, Map = mapName, Location = at };
            case ParserKind.Regex:
                var pattern = args.FirstOrDefault();
                if (pattern is null || !IsRegex(pattern, out var why) || new System.Text.RegularExpressions.Regex(pattern).GetGroupNumbers().Length < 2)
                {
                    r.Error(at, $"regex in {what} needs a valid regular expression with one capture group" + (pattern is not null && !IsRegex(pattern, out why) ? $": {why}" : ""));
                    return null;
                }
                return new ParserDefinition { Kind = kind, Pattern = pattern, Location = at };
            case ParserKind.Split:
                var separator = args.FirstOrDefault();
                if (string.IsNullOrEmpty(separator))
                {
                    r.Error(at, $"split in {what} needs a separator, e.g. split: \"/\"");
                    return null;
                }
                return new ParserDefinition { Kind = kind, Separator = separator, Location = at };
            default:
                return new ParserDefinition { Kind = kind, Location = at };
        }
    }

    private TargetDefinition? RequiredTarget(YMap map, string what, string key = "target")
    {
        if (!map.Has(key))
        {
            r.Error(map.Location, $"{what} needs '{key}'");
            return null;
        }
        return Target(map[key], what);
    }

    /// <summary>Why a .NET custom date format cannot parse dates, or null when it can.</summary>
    internal static string? DateFormatProblem(string playbookFormat, bool withTime)
    {
        var format = DateFormats.ToDotNet(playbookFormat);
        var probe = new DateTime(1987, 3, 14, 13, 5, 0, DateTimeKind.Unspecified);
        string text;
        try
        {
            text = probe.ToString(format, CultureInfo.InvariantCulture);
        }
        catch (FormatException ex)
        {
            return ex.Message.TrimEnd('.');
        }
        if (!DateTime.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var back))
        {
            return "it cannot be read back (check letter case: MM is month, mm is minutes)";
        }
        if (!format.Contains('y'))
        {
            return "it has no year (yy or yyyy)";
        }
        if (!withTime && format.Contains("mm") && !format.Contains('M'))
        {
            return "'mm' is minutes; months are 'MM'";
        }
        if (back.Year != probe.Year)
        {
            return "it does not read the year back";
        }
        return null;
    }

    private static bool IsRegex(string pattern, out string? why)
    {
        try
        {
            _ = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
            why = null;
            return true;
        }
        catch (ArgumentException ex)
        {
            why = ex.Message;
            return false;
        }
    }
}
