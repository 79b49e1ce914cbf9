using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RpaWorker.Ai;

namespace RpaWorker.Cli.Running;

/// <summary>
/// The LLM tier for <c>rpa run</c>: the <c>Ai</c> section of <c>--ai-config FILE</c> (JSON) and of the environment
/// (<c>RPA_Ai__Provider</c>, <c>RPA_Ai__Budget__MaxCallsPerRun</c>, …; the environment wins), bound and validated as the
/// worker does. Nothing configured: no tier, and the run is what it was without one.
/// </summary>
internal sealed class AiSetup : IDisposable
{
    private readonly ServiceProvider? _services;

    private AiSetup(ServiceProvider? services, IScreenAssistantProvider? provider, string currency)
    {
        _services = services;
        Provider = provider;
        Currency = currency;
    }

    /// <summary>The configured tier; null when no provider is configured.</summary>
    public IScreenAssistantProvider? Provider { get; }

    /// <summary>The currency costs are counted in.</summary>
    public string Currency { get; }

    /// <summary>
    /// Reads the configuration. Null after writing every problem to <paramref name="error"/> (a file that cannot be
    /// read, settings that fail validation, each named by its key).
    /// </summary>
    /// <param name="configFile">The JSON file, or null for the environment only.</param>
    /// <param name="error">Where problems are written.</param>
    /// <param name="environmentPrefix">The environment variable prefix; RPA_ outside tests.</param>
    public static AiSetup? Create(string? configFile, TextWriter error, string environmentPrefix = "RPA_")
    {
        if (ReadConfiguration(configFile, error, environmentPrefix) is not { } configuration)
        {
            return null;
        }
        if (!configuration.GetSection(AiOptions.Section).Exists())
        {
            return new AiSetup(null, null, "");
        }
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddRpaWorkerAi().BuildServiceProvider();
        AiOptions options;
        try
        {
            options = services.GetRequiredService<IOptions<AiOptions>>().Value;
        }
        catch (Exception ex) when (ex is OptionsValidationException or InvalidOperationException)
        {
            // InvalidOperationException: a value that does not bind (a word where a number goes), which names the key.
            foreach (var failure in ex is OptionsValidationException invalid ? invalid.Failures : [ex.Message])
            {
                error.WriteLine($"error: AI settings: {failure}");
            }
            error.WriteLine("error: the Ai settings (--ai-config, RPA_Ai__*) are not valid; see docs/llm.md");
            services.Dispose();
            return null;
        }
        var provider = services.GetRequiredService<IScreenAssistantProvider>();
        return new AiSetup(services, provider.Enabled ? provider : null, options.Budget.Currency);
    }

    /// <summary>
    /// The configuration the <c>Ai</c> section is read from: <paramref name="configFile"/> (JSON) when given, then the
    /// environment variables with <paramref name="environmentPrefix"/>. Null after saying why the file cannot be read.
    /// </summary>
    public static IConfigurationRoot? ReadConfiguration(string? configFile, TextWriter error, string environmentPrefix = "RPA_")
    {
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            if (!File.Exists(configFile))
            {
                error.WriteLine($"error: --ai-config: {configFile} does not exist");
                return null;
            }
            builder.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
        }
        builder.AddEnvironmentVariables(environmentPrefix);
        try
        {
            return builder.Build();
        }
        catch (InvalidDataException ex)
        {
            error.WriteLine($"error: --ai-config: {configFile} is not JSON: {ex.InnerException?.Message ?? ex.Message}");
            return null;
        }
    }

    public void Dispose() => _services?.Dispose();
}
