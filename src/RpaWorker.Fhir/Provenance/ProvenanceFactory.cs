using Hl7.Fhir.Model;

namespace RpaWorker.Fhir;

/// <summary>Creates the US Core Provenance that accompanies each published batch.</summary>
public static class ProvenanceFactory
{
    private const string ParticipantTypeSystem = "http://terminology.hl7.org/CodeSystem/provenance-participant-type";

    /// <summary>
    /// A Provenance conforming to us-core-provenance: <c>target</c> = the batch's resources; two agents, the
    /// author and the assembler (US Core's ProvenanceAuthor slice and the R4 participant type "assembler"), both
    /// this worker as a Device; <c>entity</c> = the playbook and version, and each source screen, with role
    /// "source"; <c>recorded</c> = <paramref name="recorded"/>. <c>meta.profile</c> names us-core-provenance.
    /// </summary>
    /// <param name="targets">The resources the batch contains; at least one.</param>
    /// <param name="playbookId">The playbook that produced the batch, e.g. acme-medweb/patient-chart.</param>
    /// <param name="playbookVersion">The playbook's version, e.g. 1.2.0.</param>
    /// <param name="workerName">This worker's display name, e.g. "RpaWorker 1.0 (clinic-a)".</param>
    /// <param name="recorded">When the batch was extracted (from a TimeProvider).</param>
    /// <param name="sourceScreens">Names of the screens read (e.g. "Problem List"); screen names, never data.</param>
    public static Hl7.Fhir.Model.Provenance Create(
        IReadOnlyList<ResourceReference> targets,
        string playbookId,
        string playbookVersion,
        string workerName,
        DateTimeOffset recorded,
        IReadOnlyList<string> sourceScreens)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentException.ThrowIfNullOrEmpty(playbookId);
        ArgumentException.ThrowIfNullOrEmpty(playbookVersion);
        ArgumentException.ThrowIfNullOrEmpty(workerName);
        ArgumentNullException.ThrowIfNull(sourceScreens);
        if (targets.Count == 0)
        {
            throw new ArgumentException("A Provenance needs at least one target.", nameof(targets));
        }

        var provenance = new Hl7.Fhir.Model.Provenance
        {
            Target = targets.Select(t => (ResourceReference)t.DeepCopy()).ToList(),
            Recorded = recorded,
            Agent =
            [
                Agent("author", "Author", workerName),
                Agent("assembler", "Assembler", workerName),
            ],
            Entity =
            [
                new Hl7.Fhir.Model.Provenance.EntityComponent
                {
                    Role = Hl7.Fhir.Model.Provenance.ProvenanceEntityRole.Source,
                    What = new ResourceReference { Display = $"Playbook {playbookId} {playbookVersion}" },
                },
                .. sourceScreens
                    .Where(screen => !string.IsNullOrWhiteSpace(screen))
                    .Distinct(StringComparer.Ordinal)
                    .Select(screen => new Hl7.Fhir.Model.Provenance.EntityComponent
                    {
                        Role = Hl7.Fhir.Model.Provenance.ProvenanceEntityRole.Source,
                        What = new ResourceReference { Display = $"Screen {screen}" },
                    }),
            ],
        };
        UsCoreProfiles.Apply(provenance);
        return provenance;
    }

    /// <summary>As <see cref="Create(IReadOnlyList{ResourceReference}, string, string, string, DateTimeOffset, IReadOnlyList{string})"/>, with targets as "Type/id" strings.</summary>
    /// <exception cref="ArgumentException">A target is not of the form Type/id.</exception>
    public static Hl7.Fhir.Model.Provenance Create(
        IReadOnlyList<string> targets,
        string playbookId,
        string playbookVersion,
        string workerName,
        DateTimeOffset recorded,
        IReadOnlyList<string> sourceScreens)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var references = targets.Select(target =>
        {
            var parts = target?.Split('/') ?? [];
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                throw new ArgumentException("Each target must be of the form Type/id.", nameof(targets));
            }

            return new ResourceReference(target);
        }).ToList();
        return Create(references, playbookId, playbookVersion, workerName, recorded, sourceScreens);
    }

    private static Hl7.Fhir.Model.Provenance.AgentComponent Agent(string code, string display, string workerName) => new()
    {
        Type = new CodeableConcept(ParticipantTypeSystem, code, display),
        Who = new ResourceReference { Type = "Device", Display = workerName },
    };
}
