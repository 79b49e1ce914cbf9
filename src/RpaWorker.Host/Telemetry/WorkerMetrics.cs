using System.Diagnostics.Metrics;
using RpaWorker.Engine.Running;

namespace RpaWorker.Host.Telemetry;

/// <summary>
/// The worker's metrics (meter <c>RpaWorker</c>), exported at <c>/metrics</c> in the Prometheus format. Tags are EHR
/// names, statuses and failure kinds — never anything about a patient.
/// </summary>
public sealed class WorkerMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "RpaWorker";

    private readonly Meter _meter;
    private readonly Counter<long> _runs;
    private readonly Counter<long> _patients;
    private readonly Counter<long> _steps;
    private readonly Histogram<double> _stepSeconds;
    private readonly Histogram<double> _patientSeconds;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _resources;

    /// <summary>Creates the instruments on a meter from <paramref name="factory"/>.</summary>
    public WorkerMetrics(IMeterFactory factory)
    {
        _meter = factory.Create(MeterName);
        _runs = _meter.CreateCounter<long>("rpa.runs", "{run}", "Runs finished, by EHR and final status.");
        _patients = _meter.CreateCounter<long>("rpa.patients", "{patient}", "Patient attempts finished, by EHR and outcome.");
        _steps = _meter.CreateCounter<long>("rpa.steps", "{step}", "Playbook steps run, by EHR and status.");
        _stepSeconds = _meter.CreateHistogram<double>("rpa.step.duration", "s", "How long playbook steps take.");
        _patientSeconds = _meter.CreateHistogram<double>("rpa.patient.duration", "s", "How long one patient's chart takes.");
        _failures = _meter.CreateCounter<long>("rpa.failures", "{failure}", "Patient failures by EHR and reason kind (not_found, timeout, server_error, guard, ...).");
        _resources = _meter.CreateCounter<long>("rpa.resources", "{resource}", "Resources by EHR, type and outcome (published, quarantined).");
    }

    /// <summary>A run finished.</summary>
    public void RunFinished(string ehr, string status) => _runs.Add(1, new("ehr", ehr), new("status", status));

    /// <summary>A step finished.</summary>
    public void StepFinished(string ehr, StepStatus status, TimeSpan elapsed)
    {
        var tag = new KeyValuePair<string, object?>("ehr", ehr);
        _steps.Add(1, tag, new("status", status.ToString().ToLowerInvariant()));
        _stepSeconds.Record(elapsed.TotalSeconds, tag);
    }

    /// <summary>A patient attempt finished.</summary>
    public void PatientFinished(string ehr, WorkItemResult item, IReadOnlyDictionary<string, Extraction.TypeCounts> counts)
    {
        var tag = new KeyValuePair<string, object?>("ehr", ehr);
        _patients.Add(1, tag, new("outcome", item.Status == WorkItemStatus.Succeeded ? "succeeded" : "failed"));
        _patientSeconds.Record(item.Elapsed.TotalSeconds, tag);
        if (item.Failure is { } failure)
        {
            _failures.Add(1, tag, new("kind", FailureKind(failure)));
        }
        foreach (var (type, c) in counts)
        {
            _resources.Add(c.Valid, tag, new("type", type), new("outcome", "published"));
            _resources.Add(c.Quarantined, tag, new("type", type), new("outcome", "quarantined"));
        }
    }

    /// <summary>A PHI-free category of why a step failed.</summary>
    public static string FailureKind(StepOutcome failure) => failure.Failure switch
    {
        { } kind => RpaWorker.Host.Runs.RunStore.Name(kind),
        null when failure.Reason?.Contains("guard", StringComparison.OrdinalIgnoreCase) == true => "guard",
        _ => "other",
    };

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
