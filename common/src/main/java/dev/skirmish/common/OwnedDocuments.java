package dev.skirmish.common;

import io.vertx.core.Future;

import java.util.List;

/**
 * The documents of a cluster-wide map ({@link DocumentStore}) that this node holds: those in the Hazelcast
 * partitions it owns when clustered, every one when standalone. Summed over the nodes, each document counts once,
 * which is what a per-node gauge of games, parties or lobbies needs.
 */
@FunctionalInterface
public interface OwnedDocuments {

  /** The stored values (JSON text) of {@code mapName} held by this node. */
  Future<List<String>> values(String mapName);
}
