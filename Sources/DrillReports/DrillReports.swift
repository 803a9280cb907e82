public enum DrillReports {}
