using System.CommandLine;
using RpaWorker.Ai;
using RpaWorker.Cli.Running;
using RpaWorker.Engine.Healing;
using RpaWorker.Engine.Running;
using RpaWorker.Fhir;
using RpaWorker.Host.Extraction;
using RpaWorker.Playbooks;
using RpaWorker.Playbooks.Model;
using RpaWorker.Ui;

namespace RpaWorker.Cli.Commands;

/// <summary>Everything one <c>rpa run</c> needs, from the command line or from the demo.</summary>
internal sealed record RunSettings
{
    public required PlaybookLoadResult Playbook { get; init; }
    public string? EhrUrl { get; init; }
    public IReadOnlyDictionary<string, string> Inputs { get; init; } = new Dictionary<string, string>();
    public required string OutDirectory { get; init; }
    public IReadOnlyList<string> Sinks { get; init; } = [];
    public string? TraceDirectory { get; init; }
    public required SecretStore Secrets { get; init; }
    public string? SourceSystem { get; init; }
    public string? UsCorePackage { get; init; }
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public int Parallel { get; init; } = 1;
    public IReadOnlyDictionary<string, string> FieldPatterns { get; init; } = new Dictionary<string, string>();

    /// <summary>Heal targets that stop resolving (on unless --no-heal).</summary>
    public bool Heal { get; init; } = true;

    /// <summary>The heal store; null for the one beside the playbook.</summary>
    public string? HealStore { get; init; }

    /// <summary>The LLM tier's settings file (the <c>Ai</c> section); null for the environment only.</summary>
    public string? AiConfig { get; init; }
}

/// <summary><c>rpa run</c>: runs a playbook against an EHR and publishes what it reads as US Core FHIR R4.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var playbook = new Argument<FileInfo>("playbook") { Description = "The playbook file (YAML)." };
        var ehr = new Option<string?>("--ehr")
        {
            Description = "Address of the EHR; sets the playbook's base_url input: the site (http://…) for web playbooks, the application " +
                          "(atspi://NAME, or atspi://NAME?exec=COMMAND to start it) for desktop ones, the window (x11://TITLE, or x11://TITLE?exec=COMMAND) for pixel ones.",
        };
        var inputs = new Option<string[]>("--input") { Description = "A playbook input as key=value (repeatable), e.g. --input mrn=1234567.", AllowMultipleArgumentsPerToken = false };
        var allPatients = new Option<bool>("--all-patients") { Description = "Read every patient on the patient list (the default when no mrn input is given)." };
        var outDir = new Option<DirectoryInfo>("--out") { Description = "Output folder: NDJSON per resource type (Bulk Data layout) and quarantine/.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("out", "run")) };
        var sinks = new Option<string[]>("--sink") { Description = "Also publish to: sqlite:<file> (local store) or fhir:<base url> (FHIR server). Repeatable." };
        var traceDir = new Option<DirectoryInfo?>("--trace-dir") { Description = "Save a trace of each failed patient here (item-NNNNN.zip, by position in the run): a Playwright trace for web playbooks, the screen and its OCR words for pixel ones. Traces hold PHI." };
        var secretsFile = new Option<FileInfo?>("--secrets-file") { Description = "JSON file with EHR credentials (chmod 600). Default: RPA_SECRETS_FILE, then environment variables only." };
        var source = new Option<string?>("--source") { Description = "URI of the EHR instance, for identifiers and ids. Default urn:rpaworker:ehr:<playbook id's first part>." };
        var usCore = new Option<FileInfo?>("--us-core") { Description = "The US Core 6.1.0 package (hl7.fhir.us.core-6.1.0.tgz). Default: RPA_US_CORE_PACKAGE, the FHIR package cache, or ../shared/data/us-core." };
        var parallel = new Option<int>("--parallel") { Description = "Browser sessions working at once, each with its own login (legacy EHRs may allow only one; desktop playbooks run one).", DefaultValueFactory = _ => 1 };
        parallel.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 16)
            {
                r.AddError("--parallel must be from 1 to 16");
            }
        });
        var fieldPatterns = new Option<string[]>("--field-pattern")
        {
            Description = "Pixel playbooks: the shape of a field read by its label, as LABEL=REGEX (repeatable), e.g. --field-pattern 'MRN=[0-9]{6,10}'. " +
                          "A value read by OCR that does not match is held for review, not published.",
            AllowMultipleArgumentsPerToken = false,
        };
        var healStore = new Option<FileInfo?>("--heal-store") { Description = "Where fingerprints and heal proposals are kept. Default: NAME.heal.json beside the playbook." };
        var noHeal = new Option<bool>("--no-heal") { Description = "Do not heal targets that stop resolving (fingerprints are still learnt)." };
        var aiConfig = new Option<FileInfo?>("--ai-config")
        {
            Description = "JSON file with an Ai section (provider, model, budget, AllowPhi; see docs/llm.md). Environment variables RPA_Ai__* override it. " +
                          "Without either, no AI is used.",
        };
        var timeout = new Option<TimeSpan>("--step-timeout") { Description = "Timeout of a step that sets none.", CustomParser = OptionParsers.Duration, DefaultValueFactory = _ => TimeSpan.FromSeconds(10) };
        var command = new Command("run", "Run a playbook against an EHR and publish what it reads as US Core FHIR R4.")
        {
            playbook, ehr, inputs, allPatients, outDir, sinks, traceDir, secretsFile, source, usCore, timeout, parallel, fieldPatterns, healStore, noHeal, aiConfig,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetValue(playbook)!;
            var loaded = PlaybookLoader.LoadFile(file.FullName);
            var inputValues = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in parse.GetValue(inputs) ?? [])
            {
                var eq = pair.IndexOf('=');
                if (eq <= 0)
                {
                    Console.Error.WriteLine($"error: --input takes key=value, not '{pair}'");
                    return ExitCodes.CouldNotRun;
                }
                inputValues[pair[..eq]] = pair[(eq + 1)..];
            }
            if (parse.GetValue(allPatients) && inputValues.ContainsKey("mrn"))
            {
                Console.Error.WriteLine("error: --all-patients and --input mrn=… contradict each other");
                return ExitCodes.CouldNotRun;
            }
            var patterns = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var pair in parse.GetValue(fieldPatterns) ?? [])
            {
                if (FieldPattern(pair) is not { } pattern)
                {
                    return ExitCodes.CouldNotRun;
                }
                patterns[pattern.Label] = pattern.Pattern;
            }
            SecretStore secrets;
            try
            {
                secrets = SecretStore.Create(parse.GetValue(secretsFile)?.FullName);
            }
            catch (SecretException ex)
            {
                Console.Error.WriteLine("error: " + ex.Message);
                return ExitCodes.CouldNotRun;
            }
            return await ExecuteAsync(new RunSettings
            {
                Playbook = loaded,
                EhrUrl = parse.GetValue(ehr),
                Inputs = inputValues,
                OutDirectory = parse.GetValue(outDir)!.FullName,
                Sinks = parse.GetValue(sinks) ?? [],
                TraceDirectory = parse.GetValue(traceDir)?.FullName,
                Secrets = secrets,
                SourceSystem = parse.GetValue(source),
                UsCorePackage = parse.GetValue(usCore)?.FullName,
                StepTimeout = parse.GetValue(timeout),
                Parallel = parse.GetValue(parallel),
                FieldPatterns = patterns,
                Heal = !parse.GetValue(noHeal),
                HealStore = parse.GetValue(healStore)?.FullName,
                AiConfig = parse.GetValue(aiConfig)?.FullName,
            }, cancellationToken);
        });
        return command;
    }

    /// <summary>One --field-pattern LABEL=REGEX, or null after saying on stderr what is wrong with it.</summary>
    private static (string Label, string Pattern)? FieldPattern(string pair)
    {
        var eq = pair.IndexOf('=');
        if (eq <= 0 || eq == pair.Length - 1)
        {
            Console.Error.WriteLine($"error: --field-pattern takes LABEL=REGEX (e.g. 'MRN=[0-9]{{6,10}}'), not '{pair}'");
            return null;
        }
        try
        {
            _ = new System.Text.RegularExpressions.Regex(pair[(eq + 1)..]);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"error: --field-pattern for label '{pair[..eq]}': not a regular expression: {ex.Message}");
            return null;
        }
        return (pair[..eq].Trim(), pair[(eq + 1)..]);
    }

    /// <summary>Runs a playbook and prints the summary; returns the exit code.</summary>
    public static async Task<int> ExecuteAsync(RunSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Playbook.IsShared)
        {
            Console.Error.WriteLine($"error: {settings.Playbook.File} is a shared file that playbooks import (it has no playbook, driver or steps), " +
                                    "not a playbook: run a playbook that imports it");
            return ExitCodes.CouldNotRun;
        }
        if (!settings.Playbook.Ok)
        {
            foreach (var error in settings.Playbook.Errors)
            {
                Console.Error.WriteLine(error.ToString());
            }
            Console.Error.WriteLine($"error: the playbook has {settings.Playbook.Errors.Count} error(s); nothing was run");
            return ExitCodes.CouldNotRun;
        }
        var definition = settings.Playbook.Playbook!;
        PlaybookRunner runner;
        try
        {
            // Compiled once here to report its errors before anything starts; each session compiles its own copy.
            runner = PlaybookRunner.Create(definition);
        }
        catch (PlaybookRunException ex)
        {
            Console.Error.WriteLine("error: " + ex.Message);
            return ExitCodes.CouldNotRun;
        }

        var inputs = new Dictionary<string, string>(settings.Inputs, StringComparer.Ordinal);
        if (settings.EhrUrl is not null)
        {
            if (definition.Inputs.All(i => i.Name != "base_url"))
            {
                Console.Error.WriteLine("error: --ehr: this playbook has no base_url input to set");
                return ExitCodes.CouldNotRun;
            }
            inputs["base_url"] = settings.EhrUrl.TrimEnd('/');
        }
        var inputProblems = runner.CheckInputs(inputs);
        if (inputProblems.Count > 0)
        {
            Console.Error.WriteLine("error: " + string.Join("; ", inputProblems));
            return ExitCodes.CouldNotRun;
        }
        IReadOnlyDictionary<string, string> secrets = new Dictionary<string, string>();
        if (definition.Credentials is { } credentials)
        {
            try
            {
                secrets = settings.Secrets.Credentials(credentials);
            }
            catch (SecretException ex)
            {
                Console.Error.WriteLine("error: " + ex.Message);
                return ExitCodes.CouldNotRun;
            }
        }
        if (UsCorePackage.Find(settings.UsCorePackage) is not { } usCorePath)
        {
            Console.Error.WriteLine("error: the US Core 6.1.0 package (hl7.fhir.us.core-6.1.0.tgz) was not found: pass --us-core <file> or set " +
                                    "RPA_US_CORE_PACKAGE; resources are validated against it before they are published");
            return ExitCodes.CouldNotRun;
        }
        if (settings.Parallel > DriverFactory.MaxSessions(definition.Driver))
        {
            Console.Error.WriteLine($"error: --parallel {settings.Parallel}: a playbook with driver '{DriverFactory.Keyword(definition.Driver)}' drives one " +
                                    $"application window with one user, so it runs {DriverFactory.MaxSessions(definition.Driver)} session");
            return ExitCodes.CouldNotRun;
        }

        if (settings.FieldPatterns.Count > 0 && definition.Driver != DriverKind.Pixel)
        {
            Console.Error.WriteLine($"error: --field-pattern applies to pixel playbooks (values read by OCR); this playbook's driver is " +
                                    $"'{DriverFactory.Keyword(definition.Driver)}', which reads text exactly");
            return ExitCodes.CouldNotRun;
        }

        Directory.CreateDirectory(settings.OutDirectory);
        await using var sink = SinkSpecs.Create(settings.OutDirectory, settings.Sinks);
        if (sink is null)
        {
            return ExitCodes.CouldNotRun;
        }
        var source = settings.SourceSystem ?? $"urn:rpaworker:ehr:{definition.Id.Split('/')[0]}";
        var pipeline = new ExtractionPipeline(sink, new UsCoreValidator(usCorePath),
            new PipelineSettings(source, definition.Id, definition.Version, "RpaWorker", Path.Combine(settings.OutDirectory, "quarantine")),
            TimeProvider.System);
        var progress = new ConsoleProgress(Console.Error, !Console.IsErrorRedirected);

        SelfHealing healing;
        try
        {
            healing = new SelfHealing(HealStore.Open(settings.HealStore ?? HealStore.DefaultPathFor(settings.Playbook.File)),
                new HealingOptions
                {
                    Actions = settings.Heal,
                    Ai = settings.Heal,
                    MinScore = settings.Heal ? new HealingOptions().MinScore : double.MaxValue,
                    ColumnMinScore = settings.Heal ? new HealingOptions().ColumnMinScore : double.MaxValue,
                    // Heals name targets and labels, never screen values: they go to the log as they happen.
                    OnHeal = heal => Console.Error.WriteLine("heal: " + heal),
                });
        }
        catch (HealStoreException ex)
        {
            Console.Error.WriteLine("error: " + ex.Message);
            return ExitCodes.CouldNotRun;
        }

        using var ai = AiSetup.Create(settings.AiConfig, Console.Error);
        if (ai is null)
        {
            return ExitCodes.CouldNotRun;
        }
        // One assistant for the run: one budget, shared by its sessions.
        var assistant = ai.Provider?.BeginRun($"cli-{Guid.NewGuid():N}"[..16]);

        Console.WriteLine($"Running {definition.Id} {definition.Version} against {inputs.GetValueOrDefault("base_url", "(playbook default)")}");
        IUiDriver driver;
        try
        {
            driver = await DriverFactory.CreateAsync(definition.Driver, new DriverSettings
            {
                // Pictures of values held for review show PHI: they go with the quarantine they explain.
                ReviewFolder = Path.Combine(settings.OutDirectory, "quarantine", "review"),
                FieldPatterns = settings.FieldPatterns,
            }, notice => Console.WriteLine(notice), cancellationToken);
        }
        catch (RpaWorkerException ex)
        {
            Console.Error.WriteLine("error: " + ex.Message);
            return ExitCodes.CouldNotRun;
        }
        await using var _ = driver;
        RunResult result;
        try
        {
            result = await ExtractionRunner.RunAsync(driver, new ExtractionPlan
            {
                Playbook = definition,
                Inputs = inputs,
                Secrets = secrets,
                StepTimeout = settings.StepTimeout,
                Sessions = settings.Parallel,
                TraceDirectory = settings.TraceDirectory,
                ResourceId = (type, key) => ResourceIds.For(source, type, key),
                OnItemsPlanned = progress.Planned,
                Healing = healing,
                Assistant = assistant,
                OnStepFinished = Environment.GetEnvironmentVariable("RPA_STEP_TIMING") == "1"
                    ? (id, status, elapsed) => Console.Error.WriteLine($"step {id}: {status} in {elapsed.TotalMilliseconds:0} ms")
                    : null,
                OnItemPublished = (item, _, _) =>
                {
                    progress.Finished(item.Status == WorkItemStatus.Failed);
                    return Task.CompletedTask;
                },
            }, pipeline, cancellationToken);
        }
        catch (RpaWorkerException ex)
        {
            // The driver's environment broke (no accessibility bus, the browser went away): nothing more can be read.
            Console.Error.WriteLine("error: " + ex.Message);
            return ExitCodes.CouldNotRun;
        }
        finally
        {
            progress.Complete();
        }
        if (settings.TraceDirectory is not null && Directory.Exists(settings.TraceDirectory) && Directory.EnumerateFiles(settings.TraceDirectory, "*.zip").Any())
        {
            Console.WriteLine($"Traces of failed patients (they hold PHI) in {settings.TraceDirectory}");
        }
        if (healing.Events.Count > 0 || healing.Missed > 0)
        {
            Console.WriteLine($"Self-healing: {healing.HealedTargets} target(s) healed ({healing.NewProposals} new proposal(s)), {healing.Missed} not healed; " +
                              $"review with: rpa heal list {settings.Playbook.File}");
        }
        if (assistant is not null && AiSummary.Used(assistant.Usage))
        {
            Console.WriteLine(AiSummary.Describe(assistant.Usage, ai.Currency));
        }
        return Summary.Print(result, pipeline, settings.OutDirectory, Console.Out);
    }
}

/// <summary>The end-of-run summary and the exit code.</summary>
internal static class Summary
{
    public static int Print(RunResult result, ExtractionPipeline pipeline, string outDirectory, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"Patients: {result.Items.Count} read, {result.Succeeded} succeeded, {result.Failed} failed");
        output.WriteLine($"{"Resource type",-22}{"extracted",10}{"valid",10}{"quarantined",13}");
        foreach (var (type, c) in pipeline.Counts)
        {
            output.WriteLine($"{type,-22}{c.Extracted,10}{c.Valid,10}{c.Quarantined,13}");
        }
        output.WriteLine($"Published {pipeline.Published} resources (Provenance included) to {outDirectory}");
        if (pipeline.QuarantinedTotal > 0)
        {
            output.WriteLine($"Quarantined {pipeline.QuarantinedTotal} with their reasons in {pipeline.QuarantineFile}");
        }
        foreach (var failed in pipeline.Failures.OrderBy(f => f.Index))
        {
            // Work items are named by position: their keys (MRNs) are PHI.
            output.WriteLine($"  patient #{failed.Index + 1} failed: {failed.Failure}");
        }
        if (result.Failure is not null)
        {
            output.WriteLine($"The run stopped: {result.Failure}");
            return result.Items.Count == 0 ? ExitCodes.CouldNotRun : ExitCodes.PartialFailure;
        }
        // Quarantine is the pipeline doing its job on data that cannot be published as it stands; it is reported
        // above and in the quarantine file, and is not a patient that failed.
        return result.Failed > 0 ? ExitCodes.PartialFailure : ExitCodes.Ok;
    }
}
