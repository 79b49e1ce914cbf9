using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace RpaWorker.Host.Security;

/// <summary>Public keys for checking JWT signatures, from PEM text or a PEM file.</summary>
internal static class JwtSigningKeys
{
    /// <summary>The key, or an error that says what is wrong with it (never the key material).</summary>
    public static (SecurityKey? Key, string? Error) Load(string pemOrPath)
    {
        var pem = pemOrPath;
        if (!pemOrPath.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            if (!File.Exists(pemOrPath))
            {
                return (null, $"is neither PEM text nor an existing file ('{pemOrPath}')");
            }
            pem = File.ReadAllText(pemOrPath);
        }
        try
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return (new RsaSecurityKey(rsa), null);
        }
        catch (ArgumentException)
        {
            // Not an RSA key: try EC below.
        }
        catch (CryptographicException)
        {
        }
        try
        {
            var ec = ECDsa.Create();
            ec.ImportFromPem(pem);
            return (new ECDsaSecurityKey(ec), null);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            return (null, "is not an RSA or EC public key in PEM form");
        }
    }
}

/// <summary>
/// Authentication for every endpoint but health: API keys always, JWT bearer tokens when <c>Auth:Jwt:Issuer</c> is set.
/// A bearer credential shaped like a JWT (three dot-separated parts) goes to the JWT handler, anything else to the API
/// key handler, so one header serves both. Either way the caller's tenant ends up in the <see cref="Tenancy.Claim"/>
/// claim, which every endpoint requires.
/// </summary>
internal static class WorkerAuthentication
{
    private const string Selector = "ApiKeyOrJwt";

    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        var auth = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        var builder = services.AddAuthentication(Selector)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyHandler.Scheme, null)
            .AddPolicyScheme(Selector, null, o => o.ForwardDefaultSelector = context =>
                auth.Jwt.Enabled && LooksLikeJwt(context.Request.Headers.Authorization.FirstOrDefault())
                    ? JwtBearerDefaults.AuthenticationScheme
                    : ApiKeyHandler.Scheme);
        if (auth.Jwt.Enabled)
        {
            builder.AddJwtBearer(o => Configure(o, auth));
        }
        services.AddAuthorizationBuilder().SetFallbackPolicy(new AuthorizationPolicyBuilder()
            .RequireAuthenticatedUser().RequireClaim(Tenancy.Claim).Build());
    }

    private static bool LooksLikeJwt(string? header) =>
        header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.AsSpan("Bearer ".Length).Trim().Count('.') == 2;

    private static void Configure(JwtBearerOptions o, AuthOptions auth)
    {
        var jwt = auth.Jwt;
        o.MapInboundClaims = false;
        if (!string.IsNullOrWhiteSpace(jwt.Authority))
        {
            o.Authority = jwt.Authority;
        }
        o.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = jwt.Issuer,
            ValidAudience = jwt.Audience,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = jwt.ClockSkew,
            NameClaimType = "sub",
            IssuerSigningKeys = jwt.SigningKeys.Select(k => JwtSigningKeys.Load(k).Key).OfType<SecurityKey>().ToList(),
        };
        o.Events = new JwtBearerEvents
        {
            // The token's own tenant claim (any name) becomes the worker's tenant claim; a token without one is refused.
            OnTokenValidated = context =>
            {
                var tenant = context.Principal?.FindFirst(auth.TenantClaim)?.Value;
                if (string.IsNullOrWhiteSpace(tenant))
                {
                    context.Fail($"the token has no '{auth.TenantClaim}' claim");
                    return Task.CompletedTask;
                }
                if (auth.TenantClaim != Tenancy.Claim)
                {
                    context.Principal!.AddIdentity(new ClaimsIdentity([new Claim(Tenancy.Claim, tenant)]));
                }
                return Task.CompletedTask;
            },
            // Say nothing of why a token was refused: the reason is for the worker's log, not for the caller.
            OnChallenge = context =>
            {
                context.HandleResponse();
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
                return Task.CompletedTask;
            },
        };
    }
}
