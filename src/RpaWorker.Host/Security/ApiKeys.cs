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

    /// <summary>The claim of a JWT that carries the caller's tenant. Default <c>tenant</c>.</summary>
    public string TenantClaim { get; set; } = Tenancy.Claim;

    /// <summary>JWT bearer tokens from an identity provider, besides (or instead of) API keys; off unless an issuer is set.</summary>
    public JwtAuthOptions Jwt { get; set; } = new();
}

/// <summary>
/// JWT bearer authentication: section <c>Auth:Jwt</c>. A token is accepted when it is signed by one of the configured keys
/// (or, with <see cref="Authority"/>, the keys the provider publishes), issued by <see cref="Issuer"/> for
/// <see cref="Audience"/>, unexpired, and carries the tenant claim (<see cref="AuthOptions.TenantClaim"/>).
/// </summary>
public sealed class JwtAuthOptions
{
    /// <summary>The <c>iss</c> a token must carry. Setting it turns JWT authentication on.</summary>
    public string? Issuer { get; set; }

    /// <summary>The <c>aud</c> a token must carry. Required with <see cref="Issuer"/>.</summary>
    public string? Audience { get; set; }

    /// <summary>
    /// The OpenID Connect provider whose published keys sign tokens (its <c>/.well-known/openid-configuration</c> is
    /// fetched over HTTPS). Leave it unset and give <see cref="SigningKeys"/> where the worker cannot reach the provider.
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>Public keys that sign tokens, as PEM (RSA or EC <c>-----BEGIN PUBLIC KEY-----</c>), or paths to PEM files.</summary>
    public List<string> SigningKeys { get; set; } = [];

    /// <summary>Leeway for clock differences when checking <c>exp</c> and <c>nbf</c>. Default 1 minute.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>True when an issuer is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Issuer);
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
        var jwt = options.Jwt;
        if (jwt.Enabled)
        {
            if (string.IsNullOrWhiteSpace(jwt.Audience))
            {
                errors.Add("Auth:Jwt:Audience is required with Auth:Jwt:Issuer");
            }
            if (string.IsNullOrWhiteSpace(jwt.Authority) && jwt.SigningKeys.Count == 0)
            {
                errors.Add("Auth:Jwt needs Authority (an OpenID Connect provider) or SigningKeys (PEM public keys) to check signatures");
            }
            if (jwt.Authority is { Length: > 0 } authority && (!Uri.TryCreate(authority, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add("Auth:Jwt:Authority must be an absolute https URL");
            }
            for (var i = 0; i < jwt.SigningKeys.Count; i++)
            {
                if (JwtSigningKeys.Load(jwt.SigningKeys[i]) is { Error: { } error })
                {
                    errors.Add($"Auth:Jwt:SigningKeys:{i} {error}");
                }
            }
            if (jwt.ClockSkew < TimeSpan.Zero || jwt.ClockSkew > TimeSpan.FromMinutes(10))
            {
                errors.Add("Auth:Jwt:ClockSkew must be from 0 to 10 minutes");
            }
        }
        else if (jwt.Audience is { Length: > 0 } || jwt.Authority is { Length: > 0 } || jwt.SigningKeys.Count > 0)
        {
            errors.Add("Auth:Jwt:Issuer is required to use JWT bearer tokens (Audience, Authority or SigningKeys are set without it)");
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
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, match.Name), new Claim(Tenancy.Claim, match.Tenant)], Scheme);
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
    /// <summary>The claim every authenticated caller's tenant is in, whichever way it signed in.</summary>
    public const string Claim = "tenant";

    /// <summary>The tenant claim of the authenticated caller, or null.</summary>
    public static string? TenantOf(HttpContext context) => TenantOf(context.User);

    /// <summary>The tenant claim of an authenticated principal, or null.</summary>
    public static string? TenantOf(ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true ? user.FindFirst(Claim)?.Value : null;
}
