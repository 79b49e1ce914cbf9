namespace RpaWorker.Host.FhirApi;

/// <summary>
/// Runs the extraction playbook for one patient and publishes what it read into the local store: the
/// <see cref="StoreConnector"/> calls it when the stored data of a patient is older than the freshness policy allows,
/// or when a Patient searched by identifier is not stored at all.
/// </summary>
/// <remarks>
/// <para>
/// The store connector calls it at most once at a time per identifier (concurrent requests for the same patient join
/// one call), never again for the same identifier within <see cref="StoreConnectorOptions.MinExtractionInterval"/>
/// of the previous call's end, and from a singleton: an implementation that needs scoped services creates its own
/// scope. The call is not tied to the HTTP request that caused it (a client that gives up does not cancel it); its
/// token fires after <see cref="StoreConnectorOptions.ExtractionTimeout"/> or at shutdown.
/// </para>
/// <para>
/// Before returning <see cref="PatientExtractionStatus.Extracted"/>, the implementation must have published the
/// patient's resources — the Patient with its identifier in <see cref="StoreConnectorOptions.PatientIdentifierSystem"/>
/// included, even when unchanged, because its publish time is how the store knows the data is fresh — together with
/// their Provenance, to the same store (and change feed) the connector serves. Expected failures are results, not
/// exceptions; an exception is treated as <see cref="PatientExtractionStatus.Failed"/> and logged without its message.
/// </para>
/// </remarks>
public interface IPatientExtraction
{
    /// <summary>Extracts and publishes the patient whose identifier value is <paramref name="patientIdentifierValue"/>.</summary>
    /// <param name="patientIdentifierValue">
    /// The identifier value (e.g. the MRN) in the configured system; PHI: never log it or put it in a reason.
    /// </param>
    /// <param name="cancellationToken">Fires on the extraction timeout or at shutdown.</param>
    Task<PatientExtractionResult> ExtractAsync(string patientIdentifierValue, CancellationToken cancellationToken);
}

/// <summary>How an on-demand extraction ended.</summary>
public enum PatientExtractionStatus
{
    /// <summary>The patient was read and published.</summary>
    Extracted,

    /// <summary>The EHR has no patient with that identifier.</summary>
    NotFound,

    /// <summary>The extraction could not finish (the EHR was down, a screen did not match, it timed out).</summary>
    Failed,
}

/// <summary>The outcome of <see cref="IPatientExtraction.ExtractAsync"/>.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Reason">For a failure: what went wrong, naming the step or screen, never patient data. Logged.</param>
public sealed record PatientExtractionResult(PatientExtractionStatus Status, string? Reason = null)
{
    /// <summary>The patient was read and published.</summary>
    public static PatientExtractionResult Extracted { get; } = new(PatientExtractionStatus.Extracted);

    /// <summary>The EHR has no such patient.</summary>
    public static PatientExtractionResult NotFound { get; } = new(PatientExtractionStatus.NotFound);

    /// <summary>The extraction failed for a PHI-free <paramref name="reason"/>.</summary>
    public static PatientExtractionResult Failed(string reason) => new(PatientExtractionStatus.Failed, reason);
}
