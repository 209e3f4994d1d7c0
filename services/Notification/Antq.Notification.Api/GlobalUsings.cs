// The service's capabilities, each in its folder (../shared/docs/CONVENTIONS.md): visible to one another, as one
// project's folders are, without a using in every file.
global using Antq.Notification.Api.ContactPoints;
global using Antq.Notification.Api.Deliveries;
global using Antq.Notification.Api.Digests;
global using Antq.Notification.Api.Inbox;
global using Antq.Notification.Api.Notices;
global using Antq.Notification.Api.Preferences;
global using Antq.Notification.Api.Recipients;
global using Antq.Notification.Api.Reminders;
global using Antq.Notification.Api.Retention;
global using Antq.Notification.Api.Webhooks;
