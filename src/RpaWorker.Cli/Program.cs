using System.CommandLine;

var root = new RootCommand("RpaWorker: extracts clinical data from legacy EHR screens as US Core FHIR R4.");
return await root.Parse(args).InvokeAsync();
