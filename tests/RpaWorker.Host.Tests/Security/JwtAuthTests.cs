using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RpaWorker.Host.Tests.Support;

namespace RpaWorker.Host.Tests.Security;

[Collection(TestWorker.Collection)]
public sealed class JwtAuthTests
{
    private const string Issuer = "https://login.clinic.example/";
    private const string Audience = "rpaworker";

    private static readonly RSA Signer = RSA.Create(2048);

    private static Dictionary<string, string?> JwtSettings(string publicPem) => new()
    {
        ["Auth:Jwt:Issuer"] = Issuer,
        ["Auth:Jwt:Audience"] = Audience,
        ["Auth:Jwt:SigningKeys:0"] = publicPem,
        ["Auth:TenantClaim"] = "org",
    };

    private static string Token(string? tenant, RSA? key = null, string issuer = Issuer, string audience = Audience, TimeSpan? expiresIn = null)
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds());
        var claims = new Dictionary<string, object> { ["sub"] = "platform-connector" };
        if (tenant is not null)
        {
            claims["org"] = tenant;
        }
        var expires = now + (expiresIn ?? TimeSpan.FromMinutes(10));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = (expires < now ? expires - TimeSpan.FromMinutes(10) : now).UtcDateTime,
            NotBefore = (expires < now ? expires - TimeSpan.FromMinutes(10) : now).UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key ?? Signer), SecurityAlgorithms.RsaSha256),
        });
    }

    private static HttpClient WithBearer(TestWorker worker, string token)
    {
        var client = worker.Client(key: null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task Api_TokenFromTheConfiguredIssuer_ReachesItsTenantsDataAndNoOtherTenants()
    {
        await using var worker = await TestWorker.StartAsync(patients: 1, JwtSettings(Signer.ExportSubjectPublicKeyInfoPem()));
        using var clinicA = WithBearer(worker, Token("clinic-a"));
        using var clinicB = WithBearer(worker, Token("clinic-b"));

        var put = await clinicA.PutAsJsonAsync("/api/schedules/nightly", new { ehr = "mock", cron = "0 0 2 * * ?", timeZone = "America/Chicago" });
        Assert.True(put.IsSuccessStatusCode, $"{(int)put.StatusCode}: {await put.Content.ReadAsStringAsync()}");

        Assert.Contains("nightly", await clinicA.GetStringAsync("/api/schedules"));
        // The same schedule through an API key of the same tenant: both ways of signing in see one tenant.
        using var keyA = worker.Client();
        Assert.Contains("nightly", await keyA.GetStringAsync("/api/schedules"));
        // Another clinic's token sees nothing of it and cannot schedule on an EHR it does not own.
        Assert.Equal("[]", await clinicB.GetStringAsync("/api/schedules"));
        Assert.Equal(HttpStatusCode.NotFound, (await clinicB.GetAsync("/api/schedules/nightly")).StatusCode);
        var foreign = await clinicB.PutAsJsonAsync("/api/schedules/mine", new { ehr = "mock", cron = "0 0 2 * * ?", timeZone = "America/Chicago" });
        Assert.False(foreign.IsSuccessStatusCode);
    }

    [Fact]
    public async Task Api_TokensThatAreNotRight_AreAllRefusedWith401AndNoReason()
    {
        await using var worker = await TestWorker.StartAsync(patients: 1, JwtSettings(Signer.ExportSubjectPublicKeyInfoPem()));
        using var stranger = RSA.Create(2048);
        var refused = new Dictionary<string, string>
        {
            ["signed by another key"] = Token("clinic-a", key: stranger),
            ["another issuer"] = Token("clinic-a", issuer: "https://evil.example/"),
            ["another audience"] = Token("clinic-a", audience: "someone-else"),
            ["expired"] = Token("clinic-a", expiresIn: TimeSpan.FromMinutes(-30)),
            ["no tenant claim"] = Token(null),
            ["unsigned"] = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = Issuer, Audience = Audience, Claims = new Dictionary<string, object> { ["org"] = "clinic-a" },
                Expires = TimeProvider.System.GetUtcNow().AddMinutes(10).UtcDateTime,
            }),
            ["tampered"] = Tamper(Token("clinic-b")),
        };
        foreach (var path in new[] { "/api/runs", "/fhir/metadata", "/metrics", "/openapi/v1.json" })
        {
            foreach (var (why, token) in refused)
            {
                using var client = WithBearer(worker, token);
                var response = await client.GetAsync(path);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{path} with a token {why}: {(int)response.StatusCode}");
                Assert.Equal("", await response.Content.ReadAsStringAsync());
            }
            using var good = WithBearer(worker, Token("clinic-a"));
            Assert.Equal(HttpStatusCode.OK, (await good.GetAsync(path)).StatusCode);
        }
    }

    /// <summary>The payload's tenant changed after signing.</summary>
    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]).Replace("clinic-b", "clinic-a", StringComparison.Ordinal);
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";
    }

    [Fact]
    public void Build_JwtHalfConfigured_SaysEverythingThatIsMissing()
    {
        var data = Directory.CreateTempSubdirectory("rpa-jwt-config-").FullName;
        try
        {
            var ex = Assert.Throws<OptionsValidationException>(() => WorkerHost.Build([], b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Worker:DataDirectory"] = data,
                ["Auth:Jwt:Issuer"] = Issuer,
                ["Auth:Jwt:Authority"] = "http://login.clinic.example/",
                ["Auth:Jwt:SigningKeys:0"] = "-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----",
            })));

            Assert.Contains("Auth:Jwt:Audience is required", ex.Message);
            Assert.Contains("Auth:Jwt:Authority must be an absolute https URL", ex.Message);
            Assert.Contains("Auth:Jwt:SigningKeys:0 is not an RSA or EC public key", ex.Message);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
