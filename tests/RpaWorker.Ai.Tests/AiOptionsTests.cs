using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RpaWorker.Ai.Tests;

public sealed class AiOptionsTests
{
    private static ServiceProvider CreateSut(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddRpaWorkerAi()
            .BuildServiceProvider();

    [Fact]
    public async Task AddRpaWorkerAi_NothingConfigured_AssistantAnswersUnavailable()
    {
        using var services = CreateSut([]);
        var provider = services.GetRequiredService<IScreenAssistantProvider>();

        var result = await provider.BeginRun("run-1").ClassifyScreenAsync(new ScreenOutline { Fingerprint = "x" }, ["relogin"], default);

        Assert.False(provider.Enabled);
        Assert.Equal(AiStatus.Unavailable, result.Status);
    }

    [Fact]
    public void AddRpaWorkerAi_BadSettings_ReportsEveryProblemByItsKey()
    {
        using var services = CreateSut(new()
        {
            ["Ai:Provider"] = "azure-openai",
            ["Ai:MinConfidence"] = "1.5",
            ["Ai:Cache:StorePhi"] = "true",
        });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AiOptions>>().Value);

        Assert.Contains("Ai:Model is required when a provider is configured (for azure-openai: the deployment name)", error.Failures);
        Assert.Contains("Ai:Endpoint is required for the provider azure-openai", error.Failures);
        Assert.Contains("no API key for the provider azure-openai: set the environment variable RPA_AI_API_KEY (or Ai__ApiKey)", error.Failures);
        Assert.Contains("Ai:MinConfidence 1.5 is not between 0 and 1", error.Failures);
        Assert.Contains("Ai:Cache:StorePhi needs Ai:AllowPhi: answers holding PHI exist only for a provider allowed to receive it", error.Failures);
    }

    [Fact]
    public void AddRpaWorkerAi_UnknownProvider_SaysWhichAreKnown()
    {
        using var services = CreateSut(new() { ["Ai:Provider"] = "gemini" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AiOptions>>().Value);

        Assert.Equal("Ai:Provider 'gemini' is not one of none, openai, azure-openai, ollama, openai-compatible", Assert.Single(error.Failures));
    }

    [Fact]
    public void AddRpaWorkerAi_OllamaWithAModel_IsEnabledWithoutAKey()
    {
        using var services = CreateSut(new() { ["Ai:Provider"] = "ollama", ["Ai:Model"] = "llama3.1" });

        Assert.True(services.GetRequiredService<IScreenAssistantProvider>().Enabled);
    }
}
