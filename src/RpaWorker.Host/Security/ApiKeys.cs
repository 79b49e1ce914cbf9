using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RpaWorker.Host.Security;

/// <summary>One API key: its owner, its tenant, and the SHA-256 of the key (the key itself is never stored).</summary>
public sealed class ApiKeyEntry
{
    /// <summary>Who holds it (for logs): e.g. <c>platform</c>, <c>ops-alice</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>The clinic whose EHRs, runs, schedules and data the key reaches.</summary>
    public string Tenant { get; set; } = "";

    /// <summary>Lower-case hex SHA-256 of the key, as <c>rpa apikey</c> prints it.</summary>
    public string Sha256 { get; set; } = "";
}

/// <summary>Authentication: configuration section <c>Auth</c>.</summary>
public sealed class AuthOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Auth";

    /// <summary>API keys, hashed. Callers send <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-Api-Key: &lt;key&gt;</c>.</summary>
    public List<ApiKeyEntry> ApiKeys { get; set; } = [];

    /// <summary>The claim that carries a caller's tenant. Default <c>tenant</c>.</summary>
    public string TenantClaim { get; set; } = "tenant";
}

/// <summary>Says at start-up what is wrong with the API keys.</summary>
internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var errors = new List<string>();
        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var key = options.ApiKeys[i];
            if (string.IsNullOrWhiteSpace(key.Tenant))
            {
                errors.Add($"Auth:ApiKeys:{i}:Tenant is required");
            }
            if (key.Sha256.Length != 64 || !key.Sha256.All(char.IsAsciiHexDigit))
            {
                errors.Add($"Auth:ApiKeys:{i}:Sha256 must be 64 hex digits (the SHA-256 of the key; `rpa apikey` makes one)");
            }
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>Makes and hashes API keys.</summary>
public static class ApiKey
{
    /// <summary>A new random key (256 bits, URL-safe).</summary>
    public static string Create() => "rpa_" + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>The key's SHA-256, lower-case hex: what configuration stores.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// Authenticates API keys against their configured hashes, in constant time. The caller's tenant becomes a claim that
/// scopes everything it can see. A wrong key and a missing key get the same answer.
/// </summary>
internal sealed class ApiKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions, ILoggerFactory logger, UrlEncoder encoder,
    IOptionsMonitor<AuthOptions> auth) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    public new const string Scheme = "ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Request.Headers["X-Api-Key"].FirstOrDefault();
        if (presented is null && Request.Headers.Authorization.FirstOrDefault() is { } header && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            presented = header["Bearer ".Length..].Trim();
        }
        if (string.IsNullOrEmpty(presented))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        var hash = Encoding.ASCII.GetBytes(ApiKey.Hash(presented));
        ApiKeyEntry? match = null;
        foreach (var entry in auth.CurrentValue.ApiKeys)
        {
            // Compare with every entry so the time taken says nothing about which (if any) matched.
            if (CryptographicOperations.FixedTimeEquals(hash, Encoding.ASCII.GetBytes(entry.Sha256.ToLowerInvariant())))
            {
                match = entry;
            }
        }
        if (match is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("unknown API key"));
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, match.Name), new Claim(auth.CurrentValue.TenantClaim, match.Tenant)], Scheme);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}

/// <summary>The caller's tenant.</summary>
public static class Tenancy
{
    /// <summary>The tenant claim of the authenticated caller, or null.</summary>
    public static string? TenantOf(HttpContext context) =>
        context.User.FindFirst(context.RequestServices.GetService(typeof(IOptions<AuthOptions>)) is IOptions<AuthOptions> o ? o.Value.TenantClaim : "tenant")?.Value;
}
