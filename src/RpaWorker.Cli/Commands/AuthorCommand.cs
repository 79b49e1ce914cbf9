using System.CommandLine;
using RpaWorker.Cli.Running;
using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using RpaWorker.Ai;
using RpaWorker.Ai.Assistant;
using RpaWorker.Cli.Authoring;
using RpaWorker.Drivers.Web;
using RpaWorker.Host.Extraction;
using RpaWorker.Ui;

namespace RpaWorker.Cli.Commands;

/// <summary>
/// <c>rpa author --goal TEXT --ehr URL</c>: an LLM explores the EHR (observe, ask, guard, act) and the steps that worked
/// become a draft playbook of deterministic steps, checked like <c>rpa validate</c>, that then runs with no LLM.
/// </summary>
internal static class AuthorCommand
{
    public static Command Create()
    {
        var goal = new Option<string>("--goal") { Description = "What to extract, in words (sent to the model: no patient data), e.g. \"the patient's allergy list\".", Required = true };
        var ehr = new Option<string>("--ehr") { Description = "The EHR's address, where exploration starts.", Required = true };
        var driver = new Option<string>("--driver") { Description = "The driver: web (the only one author mode supports for now).", DefaultValueFactory = _ => "web" };
        var output = new Option<FileInfo>("--out") { Description = "Where to write the draft playbook.", DefaultValueFactory = _ => new FileInfo("draft.yaml") };
        var maxSteps = new Option<int>("--max-steps") { Description = "Actions the model may take before the exploration stops.", DefaultValueFactory = _ => 30 };
        var aiConfig = new Option<FileInfo?>("--ai-config") { Description = "JSON file with the Ai section (provider, model, AllowPhi, budget; see docs/llm.md). Environment RPA_Ai__* overrides it." };
        var credentials = new Option<string>("--credentials") { Description = "Name of the EHR login in the secret store (RPA_SECRET_<NAME>_USERNAME/_PASSWORD or the secrets file); written into the draft.", DefaultValueFactory = _ => "ehr" };
        var secretsFile = new Option<FileInfo?>("--secrets-file") { Description = "JSON file with EHR credentials (chmod 600). Default: RPA_SECRETS_FILE, then environment variables only." };
        var inputs = new Option<string[]>("--input") { Description = "A value the model may type by reference, as key=value (repeatable), e.g. --input mrn=1234567 for a sample patient. Never sent to the model; becomes a required input of the draft when used." };
        var command = new Command("author", "Let an LLM explore the EHR towards a goal and write a draft playbook from the steps that worked (read-only, web only).")
        {
            goal, ehr, driver, output, maxSteps, aiConfig, credentials, secretsFile, inputs,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!string.Equals(parse.GetValue(driver), "web", StringComparison.OrdinalIgnoreCase))
            {
                Console.Error.WriteLine($"error: author mode drives web EHRs only for now (--driver web); the driver '{parse.GetValue(driver)}' is not supported");
                return ExitCodes.CouldNotRun;
            }
            if (parse.GetValue(maxSteps) is < 1 or > 500)
            {
                Console.Error.WriteLine("error: --max-steps must be between 1 and 500");
                return ExitCodes.CouldNotRun;
            }
            var inputValues = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in parse.GetValue(inputs) ?? [])
            {
                var eq = pair.IndexOf('=');
                if (eq <= 0)
                {
                    // The value may be a patient's MRN: the message names the option, not what was given.
                    Console.Error.WriteLine("error: --input takes key=value");
                    return ExitCodes.CouldNotRun;
                }
                inputValues[pair[..eq]] = pair[(eq + 1)..];
            }
            if (ReadAiOptions(parse.GetValue(aiConfig)) is not { } ai)
            {
                return ExitCodes.CouldNotRun;
            }
            // Said before anything else is looked at: without a provider there is nothing to explore with.
            if (ProviderProblems(ai) is { Count: > 0 } problems)
            {
                foreach (var problem in problems)
                {
                    Console.Error.WriteLine("error: " + problem);
                }
                return ExitCodes.CouldNotRun;
            }
            IReadOnlyDictionary<string, string> secrets;
            try
            {
                secrets = SecretStore.Create(parse.GetValue(secretsFile)?.FullName).Credentials(parse.GetValue(credentials)!);
            }
            catch (SecretException ex)
            {
                Console.Error.WriteLine("error: " + ex.Message);
                return ExitCodes.CouldNotRun;
            }
            var settings = new AuthorSettings
            {
                Goal = parse.GetValue(goal)!,
                Ehr = parse.GetValue(ehr)!,
                Credentials = parse.GetValue(credentials)!,
                Secrets = secrets,
                Inputs = inputValues,
                MaxSteps = parse.GetValue(maxSteps),
            };
            return await AuthorAsync(settings, ai, chat: null, parse.GetValue(output)!.FullName, Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }

    /// <summary>
    /// Explores with the provider <paramref name="ai"/> configures (or <paramref name="chat"/> when given) and writes
    /// the draft. Exit codes: 0 a valid draft was written; 1 the goal was not reached (no draft) or the draft has
    /// errors (written all the same, errors printed); 2 author mode could not run (no provider, no browser, bad setting).
    /// </summary>
    internal static async Task<int> AuthorAsync(AuthorSettings settings, AiOptions ai, IChatClient? chat, string outPath, TextWriter log, TextWriter error, CancellationToken cancellationToken)
    {
        if (chat is null && ProviderProblems(ai) is { Count: > 0 } problems)
        {
            foreach (var problem in problems)
            {
                error.WriteLine("error: " + problem);
            }
            return ExitCodes.CouldNotRun;
        }
        using var structured = StructuredChat.Create(ai, TimeProvider.System, chat);
        WebUiDriver browser;
        try
        {
            browser = await WebUiDriver.LaunchAsync(new WebDriverOptions(), cancellationToken);
        }
        catch (BrowserNotFoundException ex)
        {
            error.WriteLine("error: " + ex.Message);
            return ExitCodes.CouldNotRun;
        }
        await using (browser)
        {
            await using var session = await browser.OpenSessionAsync(new UiSessionOptions(), cancellationToken);
            log.WriteLine($"Exploring {settings.Ehr} towards the goal (at most {settings.MaxSteps} actions; the model {(structured.AllowPhi ? "may see" : "sees no")} patient data)");
            var outcome = await new AuthoringLoop(session, structured, settings, log).RunAsync(cancellationToken);
            var usage = outcome.Usage;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Model use: {usage.Calls} call(s), {usage.InputTokens + usage.OutputTokens} token(s)"));
            if (outcome.Status != AuthorStatus.Done)
            {
                error.WriteLine("error: " + outcome.Message + "; no draft written");
                return ExitCodes.PartialFailure;
            }
            var yaml = PlaybookDrafter.Draft(settings, outcome.Trajectory);
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outPath))!);
            await File.WriteAllTextAsync(outPath, yaml, cancellationToken);
            var errors = PlaybookDrafter.Validate(outPath, yaml);
            foreach (var problem in errors)
            {
                error.WriteLine(problem);
            }
            log.WriteLine(errors.Count == 0
                ? $"Draft playbook written to {outPath} ({outcome.Trajectory.Count} step(s) from {outcome.Steps} action(s)); it validates. Review it, then: rpa run {outPath} --ehr {settings.Ehr}"
                : $"Draft playbook written to {outPath}, with {errors.Count} error(s) to fix before it can run");
            return errors.Count == 0 ? ExitCodes.Ok : ExitCodes.PartialFailure;
        }
    }

    /// <summary>Why author mode cannot use the configured provider: none configured, or settings that do not validate.</summary>
    private static IReadOnlyList<string> ProviderProblems(AiOptions ai) =>
        ai.Provider.Trim() is "" || ai.Provider.Trim().Equals("none", StringComparison.OrdinalIgnoreCase)
            ? ["author mode needs an AI provider: set the Ai section in --ai-config FILE or RPA_Ai__Provider and RPA_Ai__Model (see docs/llm.md)"]
            : StructuredChat.Validate(ai);

    /// <summary>The Ai section from the file and the environment (RPA_Ai__*), or null after saying what is wrong.</summary>
    private static AiOptions? ReadAiOptions(FileInfo? file)
    {
        if (AiSetup.ReadConfiguration(file?.FullName, Console.Error) is not { } configuration)
        {
            return null;
        }
        var options = new AiOptions();
        try
        {
            configuration.GetSection(AiOptions.Section).Bind(options);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or InvalidDataException)
        {
            Console.Error.WriteLine($"error: the Ai settings could not be read ({ex.GetType().Name}); check --ai-config and RPA_Ai__* (see docs/llm.md)");
            return null;
        }
        return options;
    }
}
