package dev.stowage.archive;

/**
 * Whether extraction may create device nodes. A volume has no business holding one, so a device
 * in a volume archive is refused; a container layer may (overlay whiteouts are 0:0 char devices).
 */
public enum DevicePolicy {
    REFUSE, CREATE
}
