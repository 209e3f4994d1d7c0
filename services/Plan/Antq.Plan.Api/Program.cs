using Antq.Plan.Api;
using Antq.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddPlanServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapPlanApi();

app.Run();
