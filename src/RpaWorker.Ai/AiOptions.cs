using Microsoft.Extensions.Options;

namespace RpaWorker.Ai;

/// <summary>The AI tier's settings: configuration section <c>Ai</c>. With no provider (the default) nothing is ever sent anywhere.</summary>
public sealed class AiOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Ai";

    /// <summary>The environment variable read for the API key when <see cref="ApiKey"/> is not set.</summary>
    public const string ApiKeyVariable = "RPA_AI_API_KEY";

    /// <summary>
    /// <c>none</c> (default), <c>openai</c>, <c>azure-openai</c>, <c>ollama</c> or <c>openai-compatible</c> (any server
    /// with the OpenAI chat completions API: vLLM, LM Studio, llama.cpp, LiteLLM).
    /// </summary>
    public string Provider { get; set; } = "none";

    /// <summary>
    /// The provider's address. Defaults: OpenAI <c>https://api.openai.com/v1</c>; Ollama <c>http://localhost:11434/v1</c>.
    /// Required for azure-openai (the resource, e.g. <c>https://myresource.openai.azure.com</c>; <c>/openai/v1</c> is
    /// added) and openai-compatible (the base address that <c>/chat/completions</c> is under).
    /// </summary>
    public string? Endpoint { get; set; }

    /// <summary>The model (for Azure OpenAI: the deployment name). Required unless the provider is none.</summary>
    public string? Model { get; set; }

    /// <summary>
    /// The API key. Leave it out of configuration files: by default it is read from the environment variable
    /// <c>RPA_AI_API_KEY</c> (or set <c>Ai__ApiKey</c>). Required for openai and azure-openai.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Whether this provider may receive PHI (a model you run yourself, or one under a business associate agreement).
    /// When false (default), screen values are replaced by their shape and free-text extraction is refused.
    /// </summary>
    public bool AllowPhi { get; set; }

    /// <summary>Answers the model gives with less confidence than this are declined. Default 0.6.</summary>
    public double MinConfidence { get; set; } = 0.6;

    /// <summary>How long one question may take, retries included. Default 30 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of a call that got HTTP 429, 5xx or a broken connection. Default 3.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The longest wait between retries, whatever Retry-After asks for. Default 20 seconds.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The most tokens one answer may have. Default 1024.</summary>
    public int MaxOutputTokens { get; set; } = 1024;

    /// <summary>Limits per run and prices.</summary>
    public AiBudgetOptions Budget { get; set; } = new();

    /// <summary>The answer cache.</summary>
    public AiCacheOptions Cache { get; set; } = new();

    /// <summary>The provider, normalised; null when not one of the known names.</summary>
    internal AiProvider? ProviderKind => Provider.Trim().ToLowerInvariant() switch
    {
        "" or "none" => AiProvider.None,
        "openai" => AiProvider.OpenAI,
        "azure-openai" or "azureopenai" or "azure" => AiProvider.AzureOpenAI,
        "ollama" => AiProvider.Ollama,
        "openai-compatible" or "openaicompatible" => AiProvider.OpenAICompatible,
        _ => null,
    };

    /// <summary>The key to send: <see cref="ApiKey"/>, else <c>RPA_AI_API_KEY</c>.</summary>
    internal string? ResolveApiKey(Func<string, string?> environment) =>
        string.IsNullOrEmpty(ApiKey) ? environment(ApiKeyVariable) : ApiKey;
}

/// <summary>The per-run budget and the prices for the cost metric: section <c>Ai:Budget</c>.</summary>
public sealed class AiBudgetOptions
{
    /// <summary>Calls to the provider one run may make (cache hits are free). 0 turns AI use off for runs. Default 50.</summary>
    public int MaxCallsPerRun { get; set; } = 50;

    /// <summary>Tokens (input and output) one run may use. Default 100000.</summary>
    public long MaxTokensPerRun { get; set; } = 100_000;

    /// <summary>Price of 1000 input tokens, for the cost metric. Default 0.</summary>
    public decimal PricePer1kInputTokens { get; set; }

    /// <summary>Price of 1000 output tokens, for the cost metric. Default 0.</summary>
    public decimal PricePer1kOutputTokens { get; set; }

    /// <summary>The currency of the prices, as the cost metric's unit. Default USD.</summary>
    public string Currency { get; set; } = "USD";
}

/// <summary>The answer cache: section <c>Ai:Cache</c>.</summary>
public sealed class AiCacheOptions
{
    /// <summary>
    /// A SQLite file that keeps answers across runs and restarts. Default: none, answers are kept in memory for the
    /// life of the process.
    /// </summary>
    public string? Path { get; set; }

    /// <summary>
    /// Also cache answers that hold PHI (free-text extractions). Only with <see cref="AiOptions.AllowPhi"/>; the file
    /// then holds PHI and needs the same protection as the worker's data directory. Default false: such answers are
    /// never cached.
    /// </summary>
    public bool StorePhi { get; set; }
}

/// <summary>The providers the tier can talk to.</summary>
internal enum AiProvider
{
    None,
    OpenAI,
    AzureOpenAI,
    Ollama,
    OpenAICompatible,
}

/// <summary>Says at start-up, all at once, what is wrong with <see cref="AiOptions"/>.</summary>
internal sealed class AiOptionsValidator(Func<string, string?> environment) : IValidateOptions<AiOptions>
{
    public AiOptionsValidator() : this(Environment.GetEnvironmentVariable) { }

    public ValidateOptionsResult Validate(string? name, AiOptions options)
    {
        var errors = new List<string>();
        var kind = options.ProviderKind;
        if (kind is null)
        {
            errors.Add($"Ai:Provider '{options.Provider}' is not one of none, openai, azure-openai, ollama, openai-compatible");
        }
        if (kind is not (null or AiProvider.None))
        {
            if (string.IsNullOrWhiteSpace(options.Model))
            {
                errors.Add("Ai:Model is required when a provider is configured (for azure-openai: the deployment name)");
            }
            if (kind is AiProvider.AzureOpenAI or AiProvider.OpenAICompatible && string.IsNullOrWhiteSpace(options.Endpoint))
            {
                errors.Add($"Ai:Endpoint is required for the provider {options.Provider}");
            }
            if (!string.IsNullOrWhiteSpace(options.Endpoint) && !Uri.TryCreate(options.Endpoint, UriKind.Absolute, out _))
            {
                errors.Add($"Ai:Endpoint '{options.Endpoint}' is not an absolute address");
            }
            if (kind is AiProvider.OpenAI or AiProvider.AzureOpenAI && string.IsNullOrEmpty(options.ResolveApiKey(environment)))
            {
                errors.Add($"no API key for the provider {options.Provider}: set the environment variable {AiOptions.ApiKeyVariable} (or Ai__ApiKey)");
            }
        }
        if (options.MinConfidence is < 0 or > 1)
        {
            errors.Add($"Ai:MinConfidence {options.MinConfidence} is not between 0 and 1");
        }
        if (options.Timeout <= TimeSpan.Zero)
        {
            errors.Add("Ai:Timeout must be positive");
        }
        if (options.MaxRetries is < 0 or > 10)
        {
            errors.Add($"Ai:MaxRetries {options.MaxRetries} is not between 0 and 10");
        }
        if (options.MaxRetryDelay < TimeSpan.Zero)
        {
            errors.Add("Ai:MaxRetryDelay must not be negative");
        }
        if (options.MaxOutputTokens < 16)
        {
            errors.Add($"Ai:MaxOutputTokens {options.MaxOutputTokens} is below 16");
        }
        if (options.Budget.MaxCallsPerRun < 0)
        {
            errors.Add("Ai:Budget:MaxCallsPerRun must not be negative");
        }
        if (options.Budget.MaxTokensPerRun < 0)
        {
            errors.Add("Ai:Budget:MaxTokensPerRun must not be negative");
        }
        if (options.Budget.PricePer1kInputTokens < 0 || options.Budget.PricePer1kOutputTokens < 0)
        {
            errors.Add("Ai:Budget prices must not be negative");
        }
        if (options.Cache.StorePhi && !options.AllowPhi)
        {
            errors.Add("Ai:Cache:StorePhi needs Ai:AllowPhi: answers holding PHI exist only for a provider allowed to receive it");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
