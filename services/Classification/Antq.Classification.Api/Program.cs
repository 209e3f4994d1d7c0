using Antq.Classification.Api;
using Antq.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddClassificationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapClassificationApi();

app.Run();
