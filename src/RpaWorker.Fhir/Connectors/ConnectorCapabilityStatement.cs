using System.Globalization;
using Hl7.Fhir.Model;
using RpaWorker.Connectors;

namespace RpaWorker.Fhir;

/// <summary>
/// Converts between <see cref="ConnectorCapabilities"/> and the FHIR R4 CapabilityStatement that the FHIR surface
/// serves at <c>metadata</c>, so that what one worker publishes another reads back unchanged.
/// </summary>
/// <remarks>
/// Standard FHIR carries types, interactions, search parameters and reverse includes, and Bulk Data's
/// <c>export</c> operations. Two things have no standard element and travel as RpaWorker extensions a plain FHIR
/// client ignores: the freshness policy (<see cref="FreshnessExtension"/> on each resource) and the server-sent-events
/// change stream (an operation named <c>events</c> defined by <see cref="EventsOperationDefinition"/>).
/// </remarks>
public static class ConnectorCapabilityStatement
{
    /// <summary>Extension on <c>rest.resource</c>: the type's freshness policy (sub-extensions <c>maxAge</c>, <c>refreshOnDemand</c>).</summary>
    public const string FreshnessExtension = "urn:rpaworker:fhir:StructureDefinition:freshness";

    /// <summary>The definition of the server-sent-events operation (<c>[base]/$events</c>).</summary>
    public const string EventsOperationDefinition = "urn:rpaworker:fhir:OperationDefinition:events";

    /// <summary>Bulk Data's system-level export operation.</summary>
    public const string ExportOperationDefinition = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export";

    /// <summary>Bulk Data's Patient-level export operation.</summary>
    public const string PatientExportOperationDefinition = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export";

    private const string BulkDataCapabilityStatement = "http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data";
    private const string Ucum = "http://unitsofmeasure.org";

    /// <summary>The CapabilityStatement of a server that offers <paramref name="capabilities"/> (read and search-type per type).</summary>
    /// <param name="capabilities">What the connector serves.</param>
    /// <param name="softwareName">The server software's name, e.g. RpaWorker.</param>
    /// <param name="baseUrl">The FHIR base URL (<c>implementation.url</c>).</param>
    /// <param name="date">The statement's date.</param>
    public static CapabilityStatement ToStatement(ConnectorCapabilities capabilities, string softwareName, Uri baseUrl, DateTimeOffset date)
    {
        ArgumentNullException.ThrowIfNull(capabilities);
        ArgumentException.ThrowIfNullOrEmpty(softwareName);
        ArgumentNullException.ThrowIfNull(baseUrl);
        var rest = new CapabilityStatement.RestComponent
        {
            Mode = CapabilityStatement.RestfulCapabilityMode.Server,
            Resource = [.. capabilities.Resources.Select(r => ToResource(r, capabilities.PatientExport))],
        };
        if (capabilities.SystemExport)
        {
            rest.Operation.Add(new CapabilityStatement.OperationComponent { Name = "export", Definition = ExportOperationDefinition });
        }

        if (capabilities.ChangeStream)
        {
            rest.Operation.Add(new CapabilityStatement.OperationComponent
            {
                Name = "events",
                Definition = EventsOperationDefinition,
                Documentation = "Server-sent events (text/event-stream) of created and updated resources; _type filters by type.",
            });
        }

        return new CapabilityStatement
        {
            Status = PublicationStatus.Active,
            Date = date.ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture),
            Kind = CapabilityStatementKind.Instance,
            Software = new CapabilityStatement.SoftwareComponent { Name = softwareName },
            Implementation = new CapabilityStatement.ImplementationComponent { Description = softwareName + " FHIR API", Url = baseUrl.AbsoluteUri },
            FhirVersion = FHIRVersion.N4_0_1,
            Format = ["application/fhir+json"],
            Instantiates = capabilities.SystemExport || capabilities.PatientExport ? [BulkDataCapabilityStatement] : [],
            Rest = [rest],
        };
    }

    /// <summary>
    /// What a server's CapabilityStatement says it serves: the resource types of its first server <c>rest</c> entry
    /// that can be read or searched, their search parameters and reverse includes, their freshness policy
    /// (<see cref="FreshnessPolicy.Live"/> without the extension), and Bulk Data export and the events stream when
    /// their operations are declared.
    /// </summary>
    public static ConnectorCapabilities FromStatement(CapabilityStatement statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var rest = statement.Rest.FirstOrDefault(r => r.Mode is null or CapabilityStatement.RestfulCapabilityMode.Server);
        if (rest is null)
        {
            return new ConnectorCapabilities { Resources = [] };
        }

        var resources = rest.Resource
            .Where(r => !string.IsNullOrEmpty(r.Type) && (r.Interaction.Count == 0 || r.Interaction.Any(i =>
                i.Code is CapabilityStatement.TypeRestfulInteraction.Read or CapabilityStatement.TypeRestfulInteraction.SearchType)))
            .Select(FromResource)
            .ToList();
        var patient = rest.Resource.FirstOrDefault(r => r.Type == "Patient");
        return new ConnectorCapabilities
        {
            Resources = resources,
            SystemExport = rest.Operation.Any(o => IsOperation(o, "export", ExportOperationDefinition)),
            PatientExport = patient?.Operation.Any(o => IsOperation(o, "export", PatientExportOperationDefinition) || IsOperation(o, "patient-export", PatientExportOperationDefinition)) == true,
            ChangeStream = rest.Operation.Any(o => o.Definition == EventsOperationDefinition),
        };
    }

    private static bool IsOperation(CapabilityStatement.OperationComponent operation, string name, string definition) =>
        operation.Definition == definition || string.Equals(operation.Name?.TrimStart('$'), name, StringComparison.Ordinal);

    private static CapabilityStatement.ResourceComponent ToResource(ResourceCapability capability, bool patientExport)
    {
        var resource = new CapabilityStatement.ResourceComponent
        {
            Type = capability.ResourceType,
            Interaction =
            [
                new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Read },
                new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.SearchType },
            ],
            Versioning = CapabilityStatement.ResourceVersionPolicy.Versioned,
            SearchRevInclude = capability.RevIncludes,
            SearchParam = [.. capability.SearchParameters.Select(p => new CapabilityStatement.SearchParamComponent { Name = p.Name, Type = ToFhir(p.Type) })],
        };
        if (capability.ResourceType == "Patient" && patientExport)
        {
            resource.Operation.Add(new CapabilityStatement.OperationComponent { Name = "export", Definition = PatientExportOperationDefinition });
        }

        var freshness = new Extension { Url = FreshnessExtension };
        if (capability.Freshness.MaxAge is { } maxAge)
        {
            freshness.Extension.Add(new Extension("maxAge", new Duration
            {
                Value = (decimal)maxAge.TotalSeconds,
                Unit = "s",
                System = Ucum,
                Code = "s",
            }));
        }

        freshness.Extension.Add(new Extension("refreshOnDemand", new FhirBoolean(capability.Freshness.RefreshOnDemand)));
        resource.Extension.Add(freshness);
        return resource;
    }

    private static ResourceCapability FromResource(CapabilityStatement.ResourceComponent resource) => new(resource.Type!)
    {
        SearchParameters = [.. resource.SearchParam
            .Where(p => !string.IsNullOrEmpty(p.Name))
            .Select(p => new SearchParameterCapability(p.Name!, FromFhir(p.Type)))],
        RevIncludes = [.. resource.SearchRevInclude.OfType<string>().Where(r => r.Length > 0)],
        Freshness = FreshnessOf(resource),
    };

    private static FreshnessPolicy FreshnessOf(CapabilityStatement.ResourceComponent resource)
    {
        var extension = resource.Extension.FirstOrDefault(e => e.Url == FreshnessExtension);
        if (extension is null)
        {
            return FreshnessPolicy.Live;
        }

        var maxAge = extension.Extension.FirstOrDefault(e => e.Url == "maxAge")?.Value is Duration { Value: { } seconds, Code: "s" or null }
            ? TimeSpan.FromSeconds((double)seconds)
            : (TimeSpan?)null;
        var onDemand = extension.Extension.FirstOrDefault(e => e.Url == "refreshOnDemand")?.Value is FhirBoolean { Value: true };
        return new FreshnessPolicy(maxAge, onDemand);
    }

    private static SearchParamType ToFhir(SearchParameterType type) => type switch
    {
        SearchParameterType.Number => SearchParamType.Number,
        SearchParameterType.Date => SearchParamType.Date,
        SearchParameterType.String => SearchParamType.String,
        SearchParameterType.Token => SearchParamType.Token,
        SearchParameterType.Reference => SearchParamType.Reference,
        SearchParameterType.Composite => SearchParamType.Composite,
        SearchParameterType.Quantity => SearchParamType.Quantity,
        SearchParameterType.Uri => SearchParamType.Uri,
        _ => SearchParamType.Special,
    };

    private static SearchParameterType FromFhir(SearchParamType? type) => type switch
    {
        SearchParamType.Number => SearchParameterType.Number,
        SearchParamType.Date => SearchParameterType.Date,
        SearchParamType.String => SearchParameterType.String,
        SearchParamType.Token => SearchParameterType.Token,
        SearchParamType.Reference => SearchParameterType.Reference,
        SearchParamType.Composite => SearchParameterType.Composite,
        SearchParamType.Quantity => SearchParameterType.Quantity,
        SearchParamType.Uri => SearchParameterType.Uri,
        _ => SearchParameterType.Special,
    };
}
