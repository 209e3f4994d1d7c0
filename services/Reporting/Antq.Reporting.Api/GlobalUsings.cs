global using Antq.Reporting.Api;
// The indicator catalogue and the checks of a report's values, shared with the portal (shared/Antq.Catalogue).
global using Antq.Indicators;
// The platform's calendar (shared/Antq.Calendar): periods, data windows, Vietnam time, "trước ngày" deadlines.
global using Antq.Calendar;
// The service's own feature folders, visible to each other (one project, folders not layers).
global using Antq.Reporting.Api.ClassCounts;
global using Antq.Reporting.Api.Closing;
global using Antq.Reporting.Api.Data;
global using Antq.Reporting.Api.Deadlines;
global using Antq.Reporting.Api.Documents;
global using Antq.Reporting.Api.Indicators;
global using Antq.Reporting.Api.Lineage;
global using Antq.Reporting.Api.Plans;
global using Antq.Reporting.Api.Reports;
global using Antq.Reporting.Api.Rollups;
global using Antq.Reporting.Api.Units;
