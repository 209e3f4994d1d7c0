// The Reporting service's feature folders, as the service sees them.
global using Antq.Reporting.Api.ClassCounts;
global using Antq.Reporting.Api.Closing;
global using Antq.Reporting.Api.Deadlines;
global using Antq.Reporting.Api.Documents;
global using Antq.Reporting.Api.Indicators;
global using Antq.Reporting.Api.Lineage;
global using Antq.Reporting.Api.Plans;
global using Antq.Reporting.Api.Reports;
global using Antq.Reporting.Api.Rollups;
global using Antq.Reporting.Api.Units;
