namespace RpaWorker.Connectors;

/// <summary>
/// Why a connector operation did not produce its value. Each kind maps to one HTTP status on the FHIR surface, so a
/// client sees the same error whichever connector answered.
/// </summary>
public enum ConnectorFailureKind
{
    /// <summary>The resource type is not a FHIR R4 type, or not one this connector serves (HTTP 404).</summary>
    UnknownResourceType,

    /// <summary>No resource of that type has that id (HTTP 404).</summary>
    NotFound,

    /// <summary>A parameter is malformed: a date that does not parse, a negative count, a bad page token (HTTP 400).</summary>
    InvalidParameter,

    /// <summary>A search parameter, modifier or export parameter is well formed but not supported (HTTP 400).</summary>
    UnsupportedParameter,

    /// <summary>The connector does not offer this interaction at all, e.g. export from a source that has none (HTTP 501).</summary>
    NotSupported,

    /// <summary>
    /// The source system cannot answer now: the upstream FHIR server is down, throttling or refusing our credentials,
    /// or the legacy EHR could not be read and nothing is stored (HTTP 503). Usually transient.
    /// </summary>
    Unavailable,
}

/// <summary>An expected failure of a connector operation, with a PHI-free reason.</summary>
/// <param name="Kind">What went wrong.</param>
/// <param name="Reason">
/// What a caller can act on, naming the parameter, resource type or step; never a parameter's value (an identifier or a
/// name searched for is PHI) and never data read from the source.
/// </param>
public sealed record ConnectorFailure(ConnectorFailureKind Kind, string Reason)
{
    /// <summary>The request parameter at fault (e.g. <c>birthdate</c>, <c>_since</c>), when one is.</summary>
    public string? Parameter { get; init; }

    /// <summary>For <see cref="ConnectorFailureKind.Unavailable"/>: how long to wait before trying again, when known.</summary>
    public TimeSpan? RetryAfter { get; init; }
}

/// <summary>
/// The outcome of a connector operation: a value, a failure, or — for connectors that fetch data on demand — "not
/// yet": the answer is being prepared and the same request should be made again later.
/// </summary>
/// <remarks>
/// Expected failures (unknown type or id, bad or unsupported parameters, an unavailable source) are values of this
/// type, never exceptions; connectors throw only for bugs and broken environments, and then a
/// <see cref="RpaWorkerException"/>. <c>default</c> is not a valid result: build one with <see cref="Success"/>,
/// <see cref="Fail(ConnectorFailure)"/> or <see cref="Pending"/>.
/// </remarks>
/// <typeparam name="T">The value's type.</typeparam>
public readonly record struct ConnectorResult<T>
{
    /// <summary>The value when <see cref="Ok"/>.</summary>
    public T? Value { get; init; }

    /// <summary>The failure, when the operation failed.</summary>
    public ConnectorFailure? Failure { get; init; }

    /// <summary>
    /// True when the connector started fetching fresh data from the source but did not finish within the wait the
    /// request allowed. The work goes on; the caller makes the same request again (after <see cref="RetryAfter"/>),
    /// and the repeat joins the fetch in progress instead of starting another.
    /// </summary>
    public bool IsPending { get; init; }

    /// <summary>For a pending result: a hint of when to ask again; null when the connector cannot tell.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>True when the operation produced its value.</summary>
    public bool Ok => Failure is null && !IsPending;

    /// <summary>A success.</summary>
    public static ConnectorResult<T> Success(T value) => new() { Value = value };

    /// <summary>A failure.</summary>
    public static ConnectorResult<T> Fail(ConnectorFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return new() { Failure = failure };
    }

    /// <summary>A failure of <paramref name="kind"/> with a PHI-free <paramref name="reason"/>.</summary>
    public static ConnectorResult<T> Fail(ConnectorFailureKind kind, string reason, string? parameter = null) =>
        Fail(new ConnectorFailure(kind, reason) { Parameter = parameter });

    /// <summary>"Not yet": ask again, after <paramref name="retryAfter"/> when given.</summary>
    public static ConnectorResult<T> Pending(TimeSpan? retryAfter = null) => new() { IsPending = true, RetryAfter = retryAfter };

    /// <summary>The same failure or pending state carried to another value type; only valid when not <see cref="Ok"/>.</summary>
    /// <exception cref="InvalidOperationException">The result is a success.</exception>
    public ConnectorResult<TOther> As<TOther>() => Ok
        ? throw new InvalidOperationException("A successful result has a value and cannot change its type.")
        : new() { Failure = Failure, IsPending = IsPending, RetryAfter = RetryAfter };

    /// <summary>A success holding <paramref name="value"/>.</summary>
    public static implicit operator ConnectorResult<T>(T value) => Success(value);

    /// <summary>A failure.</summary>
    public static implicit operator ConnectorResult<T>(ConnectorFailure failure) => Fail(failure);
}
