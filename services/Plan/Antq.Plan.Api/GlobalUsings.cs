// The service's capabilities, each in its folder (../shared/docs/CONVENTIONS.md): visible to one another, as one
// project's folders are, without a using in every file.
global using Antq.Plan.Api.Deadlines;
global using Antq.Plan.Api.Lineage;
global using Antq.Plan.Api.Plans;
global using Antq.Plan.Api.PlanText;
global using Antq.Plan.Api.Units;
