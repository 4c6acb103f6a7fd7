namespace Brightline.Monitoring;
