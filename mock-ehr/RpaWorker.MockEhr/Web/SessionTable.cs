using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace RpaWorker.MockEhr.Web;

/// <summary>What a session cookie stands for.</summary>
internal sealed class Session
{
    public required string Id { get; init; }
    /// <summary>False between the password and the TOTP step.</summary>
    public bool SignedIn { get; set; }
    /// <summary>Where to go once signed in.</summary>
    public string? ReturnUrl { get; set; }
    public DateTimeOffset LastSeen { get; set; }
}

/// <summary>The outcome of looking a request's cookie up.</summary>
internal enum SessionState
{
    None,
    Expired,
    Active,
}

/// <summary>
/// Server-side sessions keyed by a random cookie id, the way classic ASP/JSP apps kept them: the
/// cookie carries nothing but the id, and idleness is measured on the server's clock.
/// </summary>
internal sealed class SessionTable(TimeProvider time, TimeSpan idleTimeout)
{
    public const string CookieName = "MWSESSIONID";

    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    public Session Create(bool signedIn, string? returnUrl)
    {
        // Abandoned sessions are never touched again; sweep them here so a long benchmark run stays bounded.
        var now = time.GetUtcNow();
        foreach (var (id, old) in _sessions)
        {
            if (now - old.LastSeen > idleTimeout)
            {
                _sessions.TryRemove(id, out _);
            }
        }
        var s = new Session
        {
            Id = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
            SignedIn = signedIn,
            ReturnUrl = returnUrl,
            LastSeen = now,
        };
        _sessions[s.Id] = s;
        return s;
    }

    /// <summary>Finds the session and refreshes its idle time; an idle one is dropped and reported expired.</summary>
    public SessionState Touch(string? id, out Session? session)
    {
        session = null;
        if (id is null || !_sessions.TryGetValue(id, out var s))
        {
            return SessionState.None;
        }
        var now = time.GetUtcNow();
        lock (s)
        {
            if (now - s.LastSeen > idleTimeout)
            {
                _sessions.TryRemove(id, out _);
                return SessionState.Expired;
            }
            s.LastSeen = now;
        }
        session = s;
        return SessionState.Active;
    }

    public void Remove(string? id)
    {
        if (id is not null)
        {
            _sessions.TryRemove(id, out _);
        }
    }
}
