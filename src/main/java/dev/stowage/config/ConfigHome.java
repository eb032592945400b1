package dev.stowage.config;

/** Where stowage writes the storage settings. */
public enum ConfigHome {
    /**
     * /etc/sysconfig/docker-storage when dockerd's command line takes it (RHEL's docker.service),
     * daemon.json otherwise.
     */
    AUTO,
    /** daemon.json; storage flags in /etc/sysconfig/docker-storage are moved into it. */
    DAEMON_JSON,
    /**
     * {@code DOCKER_STORAGE_OPTIONS} in /etc/sysconfig/docker-storage for the driver and its
     * options (the data-root too if it is already there); the same keys in daemon.json are moved
     * out of it.
     */
    SYSCONFIG
}
