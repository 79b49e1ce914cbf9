using System.Net;

namespace RpaWorker.Publishing;

/// <summary>
/// One issue of an OperationOutcome, without its diagnostics or details text (which may echo data). A value outside the
/// FHIR value set is reported as <c>non-standard</c>, for the same reason.
/// </summary>
/// <param name="Severity">fatal, error, warning, information or non-standard.</param>
/// <param name="Code">The issue type code (invalid, required, conflict, ...) or non-standard.</param>
public sealed record FhirIssue(string Severity, string Code);

/// <summary>
/// The FHIR server refused a transaction with a 4xx status other than 429; retrying the same batch would fail again.
/// The message holds the status and the OperationOutcome's issue severities and codes, never its diagnostics.
/// </summary>
public sealed class FhirServerRejectedException : RpaWorkerException
{
    /// <summary>Creates the exception for a refused batch.</summary>
    public FhirServerRejectedException(HttpStatusCode statusCode, IReadOnlyList<FhirIssue> issues, string batchDescription)
        : base(CreateMessage(statusCode, issues, batchDescription))
    {
        StatusCode = statusCode;
        Issues = issues;
    }

    /// <summary>The HTTP status the server answered.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The OperationOutcome's issues (severity and code only); empty when the body had none.</summary>
    public IReadOnlyList<FhirIssue> Issues { get; }

    private static string CreateMessage(HttpStatusCode statusCode, IReadOnlyList<FhirIssue> issues, string batchDescription)
    {
        var issueText = issues.Count == 0
            ? "no OperationOutcome issues"
            : "issues " + string.Join(", ", issues.Select(i => i.Severity + "/" + i.Code));
        return $"The FHIR server rejected a transaction of {batchDescription} with HTTP {(int)statusCode} ({statusCode}); {issueText}.";
    }
}

/// <summary>The FHIR server could not take a batch: every attempt failed with a transient error (5xx, 429, network, timeout).</summary>
public sealed class FhirServerUnavailableException : RpaWorkerException
{
    /// <summary>Creates the exception for a last attempt that got an error status.</summary>
    public FhirServerUnavailableException(string message) : base(message) { }

    /// <summary>Creates the exception for a last attempt that threw <paramref name="innerException"/>.</summary>
    public FhirServerUnavailableException(string message, Exception innerException) : base(message, innerException) { }
}
