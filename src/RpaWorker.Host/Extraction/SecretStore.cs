using System.Text.Json;

namespace RpaWorker.Host.Extraction;

/// <summary>A secret the store could not supply. The message names the secret, never its value.</summary>
public sealed class SecretException(string message) : RpaWorkerException(message);

/// <summary>
/// EHR credentials by name, from environment variables or a secrets file — never from the command line or a
/// playbook. For the credentials name <c>mock-ehr</c>, the variables are <c>RPA_SECRET_MOCK_EHR_USERNAME</c> and
/// <c>RPA_SECRET_MOCK_EHR_PASSWORD</c>; the file (named by <c>--secrets-file</c> or <c>RPA_SECRETS_FILE</c>) is JSON
/// <c>{ "mock-ehr": { "username": "…", "password": "…" } }</c> and must not be readable by group or others.
/// Environment variables win over the file.
/// </summary>
public sealed class SecretStore
{
    private readonly Dictionary<string, Dictionary<string, string>> _file = new(StringComparer.OrdinalIgnoreCase);
    private readonly Func<string, string?> _environment;

    private SecretStore(Func<string, string?> environment) => _environment = environment;

    /// <summary>A store over the process environment and an optional secrets file.</summary>
    /// <exception cref="SecretException">The file is missing, unreadable, too open, or not the expected JSON.</exception>
    public static SecretStore Create(string? secretsFile, Func<string, string?>? environment = null)
    {
        var store = new SecretStore(environment ?? Environment.GetEnvironmentVariable);
        secretsFile ??= store._environment("RPA_SECRETS_FILE");
        if (string.IsNullOrEmpty(secretsFile))
        {
            return store;
        }
        if (!File.Exists(secretsFile))
        {
            throw new SecretException($"secrets file '{secretsFile}' does not exist");
        }
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(secretsFile);
            if ((mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
            {
                throw new SecretException($"secrets file '{secretsFile}' can be read by other users; restrict it with: chmod 600 '{secretsFile}'");
            }
        }
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(secretsFile));
            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                store._file[entry.Name] = entry.Value.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.OrdinalIgnoreCase);
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // The JSON reader's message can quote the file's text, which holds secrets: say where, not what.
            throw new SecretException($"secrets file '{secretsFile}' is not JSON of the form {{ \"name\": {{ \"username\": \"…\", \"password\": \"…\" }} }}");
        }
        return store;
    }

    /// <summary>A store holding the given credentials only (the demo's mock EHR login).</summary>
    public static SecretStore Of(string name, string username, string password)
    {
        var store = new SecretStore(_ => null);
        store._file[name] = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["username"] = username, ["password"] = password };
        return store;
    }

    /// <summary>The credentials named <paramref name="name"/>: at least a username and a password.</summary>
    /// <exception cref="SecretException">One of them is missing.</exception>
    public IReadOnlyDictionary<string, string> Credentials(string name)
    {
        var prefix = "RPA_SECRET_" + new string(name.ToUpperInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray()) + "_";
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in new[] { "username", "password", "totp_secret" })
        {
            var value = _environment(prefix + key.ToUpperInvariant());
            if (string.IsNullOrEmpty(value) && _file.TryGetValue(name, out var entry))
            {
                entry.TryGetValue(key, out value);
            }
            if (!string.IsNullOrEmpty(value))
            {
                result[key] = value;
            }
        }
        foreach (var required in new[] { "username", "password" })
        {
            if (!result.ContainsKey(required))
            {
                throw new SecretException($"no {required} for the credentials '{name}': set {prefix}{required.ToUpperInvariant()} or add it to the secrets file");
            }
        }
        return result;
    }
}
