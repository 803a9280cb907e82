/// Reading a town folder (plan.yaml, roster.csv, holidays) into DrillCore values.
public enum DrillIO {}
