// The types of every route of the AIAA server, generated from apps/api/openapi.json by openapi-typescript.
// Do not edit: `npm run openapi` rewrites this file, and a test fails when it is stale.

/** Every route of the server by path, each method typed as its operation in {@link operations}. */
export interface paths {
  '/': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The web page
     * @description Models and server health, a viewer to try a model on a sample or a local file, and model admin. Its scripts and styles are served under `/web/`.
     */
    get: operations['page'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/activelearning/{strategy}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * The next image to annotate
     * @description One image without a `final` label, picked by the strategy, or `{}` when none is left.
     */
    post: operations['nextSample'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/config-schema': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The JSON Schema (draft 2020-12) of config_aiaa.json
     * @description Generated from the schemas that validate uploads: every key of the config, every transform of the catalogue by name and alias with its arguments, types and defaults; a key not listed is refused at upload. Sections that take any key (inference args, meta_data, Triton configuration, plugin args) say so. The transforms are also described in docs/transforms.md.
     */
    get: operations['get'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/model': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * List registered models, each described by its active version
     * @description The registry: every model installed through `PUT /admin/model/{name}` or found at start.
     */
    get: operations['listModelRecords'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/model/{name}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A model's config_aiaa.json, as stored
     * @description The active version's config (or `?version=N`'s), with the registry's `active_version` and `versions` (the kept version numbers) added.
     */
    get: operations['getModelConfig'];
    /**
     * Upload a new version of a model and make it active
     * @description Multipart parts: `config` (config_aiaa.json) and `data` (the model file), `data` alone as a zip bundle (`config/config_aiaa.json` + `models/...`), or `config` alone for pipeline and plugin models. The upload becomes version N+1 in `models/<name>/<N+1>/`, validated and loaded before anything is committed; the active version serves until then. Inactive versions beyond `--keep_versions` are pruned, oldest first.
     */
    put: operations['putModel'];
    post?: never;
    /**
     * Remove a model with every version, or one inactive version (`?version=N`)
     * @description Without `version`: unloads the model (requests already running finish first; with `--engine TRITON` it leaves Triton too) and removes its rows and folder. With it: that version only.
     */
    delete: operations['deleteModel'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/model/{name}/active': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /**
     * Make a kept version active
     * @description Loads the version, then switches: new requests get it, requests in flight finish on the version they started with. Activating the active version changes nothing and reloads nothing.
     */
    put: operations['activateModelVersion'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/admin/model/{name}/versions': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * A model's kept versions, newest first, with the active one flagged
     * @description Every version kept in `models/<name>/<N>/`, and which one serves.
     */
    get: operations['listModelVersions'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/auth': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Authentication settings: off
     * @description MONAI Label's clients ask first whether to log in: they then send no token.
     */
    get: operations['monaiLabelAuth'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/datastore': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The datastore: counts, every object, or training pairs
     * @description The counts (default), every image with its labels (`output=all`), or the final pairs (`train`).
     */
    get: operations['datastore'];
    /**
     * Store an image under `?image=<id>` (3D Slicer, the Python client)
     * @description The route 3D Slicer and the Python client call; the same as `PUT /datastore/image`.
     */
    put: operations['putImageAtRoot'];
    post?: never;
    /**
     * Remove an image and its labels (`?id=`)
     * @description The route the Python client calls; the same as `DELETE /datastore/image`.
     */
    delete: operations['deleteImageAtRoot'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/datastore/image': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Download an image
     * @description A stored file as it is; a series of the DICOMweb server (`--dicomweb`) as `<SeriesInstanceUID>.nii`, fetched through the series cache.
     */
    get: operations['getImage'];
    /**
     * Store an image under `?image=<id>`
     * @description Keeps the suffix of the upload (`.nii.gz`, `.nii`), which tells its format.
     */
    put: operations['putImage'];
    post?: never;
    /**
     * Remove an image and its labels (`?id=`)
     * @description Its files and its rows go together.
     */
    delete: operations['deleteImage'];
    options?: never;
    /**
     * Whether an image is stored
     * @description With `check_sum`: whether it is stored with that content.
     */
    head: operations['hasImage'];
    patch?: never;
    trace?: never;
  };
  '/datastore/label': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Download a label (`?label=<image id>&tag=`)
     * @description The file as stored.
     */
    get: operations['getLabel'];
    /**
     * Save a label of an image under a tag
     * @description Under `tag` (`final` by default); a label on another grid than its image is refused.
     */
    put: operations['putLabel'];
    post?: never;
    /**
     * Remove the label of an image under a tag
     * @description Every label of the image without `tag`.
     */
    delete: operations['deleteLabel'];
    options?: never;
    /**
     * Whether an image has a label under a tag
     * @description Under `tag` (`final` by default).
     */
    head: operations['hasLabel'];
    patch?: never;
    trace?: never;
  };
  '/health': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Liveness: 200 while the server answers
     * @description Always 200 while the server answers; says the engine's state (Triton's with `--engine TRITON`).
     */
    get: operations['health'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/health/ready': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Readiness: 200 when inference can run
     * @description For load balancers: 200 when inference can run, 503 while Triton (`--engine TRITON`) is not ready.
     */
    get: operations['ready'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/infer/{model}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Run a model on a datastore image, a session or an uploaded file
     * @description Replies as MONAI Label: multipart `params` (JSON with `label_names`, `latencies`) then `image` with a bare file name whose suffix is the format (`result.nrrd`), unless `output` asks for the file or the JSON alone. On a series of the DICOMweb server, `output=dicom_seg` answers the result as a DICOM SEG and `params.save_seg: true` stores it on the PACS with STOW-RS (its UIDs in `params.dicom_seg`).
     */
    post: operations['monaiLabelInfer'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/info': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The MONAI Label app: models, strategies, datastore
     * @description The models with their MONAI Label type, labels and dimension; the strategies; the datastore counts.
     */
    get: operations['monaiLabelInfo'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/logs': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The last lines of the server log (JSON lines), as AIAA serves them
     * @description The tail of `<workspace>/logs/aiaa.log` (OHIF calls it as `/logs/`); empty before the first line. Admin rules apply: loopback, `--admin_hosts` or the admin token. Session ids appear only hashed.
     */
    get: operations['logs'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/metrics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Prometheus metrics (text format 0.0.4)
     * @description Per model and version: requests succeeded and failed (by reason), in flight, queued, engine executions and seconds per stage; server-wide: model loads, uploads, sessions, Triton, process and event loop. Every name starts with `aiaa_`. Admin rules apply (loopback, `--admin_hosts` or the admin token).
     */
    get: operations['metrics'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/proxy/dicom/{service}/{path}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Relay a QIDO-RS or WADO-RS request to the PACS (`--dicomweb`) with the server credentials
     * @description The PACS' answer streams through with its status and Content-Type (its own error statuses too); at most `--dicomweb_max_series_mb` per answer. OHIF points `qidoRoot` and `wadoRoot` here.
     */
    get: operations['proxyDicomGet'];
    put?: never;
    /**
     * Relay a STOW-RS upload to the PACS (`--dicomweb`) with the server credentials
     * @description Under any of the three services: OHIF's upload posts to `<wadoRoot>/studies`. The PACS' answer streams through with its status (its own refusals too).
     */
    post: operations['proxyDicomStore'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/samples': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The shipped sample volumes
     * @description The NIfTI files of `samples/` (their licences are in its README), for the page and quick tries.
     */
    get: operations['listSamples'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/samples/{name}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * One sample volume, as its file
     * @description The NIfTI file as shipped (`.nii.gz` files gzipped), to send on to an inference route.
     */
    get: operations['getSample'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/session': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    /**
     * Upload an image once; later requests send only session_id
     * @description One NIfTI file as `image` (or `datapoint`, `image0`), or a DICOM series as one file per slice `image0..N` (uncompressed transfer syntaxes, single-frame, greyscale): the server sorts the slices along their normal, applies the rescale, and stores the volume as NIfTI (`save_as`). MONAI Label's clients send the same as `files` parts; their reply adds `session_info`. The clients call it as `PUT /session/`. With `--dicomweb`, a JSON body `{"dicom": {"series_uid": "<SeriesInstanceUID>", "study_uid": "<optional>"}}` (AIAA's DICOM reference; the node's address and AE title are not used) opens the session on that series of the PACS.
     */
    put: operations['createSession'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/session/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * Session details
     * @description The session, its image and its times; 440 once it has expired.
     */
    get: operations['getSession'];
    put?: never;
    post?: never;
    /**
     * Close a session and remove its files
     * @description Removes the session image now instead of at its expiry; 440 when it is already gone.
     */
    delete: operations['deleteSession'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/train': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The training task: 404, none ever runs
     * @description As MONAI Label answers when no task is running (with `check_if_running=true` alike).
     */
    get: operations['trainingStatus'];
    put?: never;
    /**
     * Start training: 501, not offered
     * @description This server runs inference only.
     */
    post: operations['startTraining'];
    /**
     * Stop training: 404, no training task runs
     * @description As MONAI Label answers when no task is running.
     */
    delete: operations['stopTraining'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/train/{model}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Start training one model: 501, not offered
     * @description This server runs inference only.
     */
    post: operations['startModelTraining'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/deepgrow': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Grow a segmentation from foreground and background clicks (Deepgrow)
     * @description Runs a `deepgrow` (or `pipeline`) model on `params.foreground` and `params.background` clicks; with a session, each click sends only the clicks.
     *
     *     The image comes as the file part, or from a session (`session_id`, `PUT /session/`): one upload, then many requests.
     */
    post: operations['deepgrow'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/dextr3d': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Annotate an object from its extreme points (DEXTR3D)
     * @description Runs an `annotation` model on `params.points`: at least six extreme points of the object.
     *
     *     The image comes as the file part, or from a session (`session_id`, `PUT /session/`): one upload, then many requests.
     */
    post: operations['dextr3d'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/fixpolygon': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Move one polygon vertex (dragging its neighbours) and answer the polygons and their mask
     * @description Vertex `vertex_index` of polygon `polygon_index` moves by `vertex_offset`; the vertex at cyclic distance d = 1..n (n = `propagate_neighbor`, both sides of the closed ring) moves by `offset × (1 − d/(n+1))`, so with n = 2 the neighbours move 2/3 and 1/3 of the way. Each displacement is rounded to whole pixels (halves away from zero).
     *
     *     dimension 3: on the slices k ± s, s = 1..m (m = `propagate_neighbor_3d`), the polygon with the same index gets the same edit scaled by `1 − s/(m+1)`, centred on its vertex nearest to where the moved vertex was.
     *
     *     The mask: a pixel is inside when its centre `(x, y)` lies inside a polygon (even-odd) or on its outline; polygons add up. So the outlines `/v1/mask2polygon` answers paint back the mask they came from (holes aside).
     *
     *     The file part is the reference image: a PNG (its IHDR size) or single-slice NIfTI for dimension 2, answered as an 8-bit grey PNG with 1 inside and 0 outside; a NIfTI for dimension 3 (only its header is read), answered as a uint8 NIfTI on its grid and affine.
     *
     *     On a NIfTI, x runs along the second voxel axis (j) and y along the first (i): vertex `[x, y]` of slice k is voxel (i = y, j = x, k), as in the official client's own test polygons and `/v1/mask2polygon` replies.
     *
     *     Bad params are a 400 naming `params.<field>`, as are more than 1 M vertices or 4 M crossings of an edge with an image row (a traced outline crosses each row about twice).
     */
    post: operations['fixPolygon'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/inference': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Run any model with any params
     * @description Runs a model of any type (Slicer sends segmentation and deepgrow here too); the params go to the model as sent. A classification model answers plain JSON.
     *
     *     The image comes as the file part, or from a session (`session_id`, `PUT /session/`): one upload, then many requests.
     */
    post: operations['infer'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/mask2polygon': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Outline a label mask slice by slice
     * @description Answers the outer outline of every 8-connected component of non-zero voxels, slice by slice (k): `[slice][polygon][[x, y], …]` with x along the second voxel axis (j) and y along the first (i), as the official client reads them, counter-clockwise with y down; `/v1/fixpolygon` takes them back.
     */
    post: operations['maskToPolygon'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/models': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /**
     * The loaded models: a list, or one model with ?model=
     * @description Without `model`: every loaded model matching `label` and `type`. With `model`: that model alone, as an object (the C++ client expects one). Models served by Triton carry their state there.
     */
    get: operations['listModels'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/v1/segmentation': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /**
     * Run a segmentation model on an image
     * @description Runs a `segmentation` (or `pipeline`) model; its result usually carries the extreme points of the mask (`points`), which clients feed to DEXTR3D.
     *
     *     The image comes as the file part, or from a session (`session_id`, `PUT /session/`): one upload, then many requests.
     */
    post: operations['segment'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
/** The named schemas of the document (`components.schemas`): bodies, replies, errors. */
export interface components {
  schemas: {
    ActivateVersionDto: {
      /**
       * @description A kept version of the model (see `GET /admin/model/{name}/versions`).
       * @example 2
       */
      version: number;
    };
    /** @description The new session. */
    CreatedSession: {
      /**
       * @description When the session was created, Unix seconds.
       * @example 1767225600.5
       */
      create_ts: number;
      /**
       * @description Seconds of inactivity after which the session is removed.
       * @example 3600
       */
      expiry: number;
      /** @description The image, as read at upload. */
      image: components['schemas']['SessionImage'];
      /**
       * @description The last request that used it, Unix seconds.
       * @example 1767225612.25
       */
      last_access_ts: number;
      /**
       * @description The uploaded file's name, as the client sent it.
       * @example spleen_8_ct.nii.gz
       */
      name: string;
      /**
       * @description The id to send as `session_id`.
       * @example 8c5f1e0e-3a8f-4c55-9e0b-2f1b8f0e6a11
       */
      session_id: string;
      /** @description With MONAI Label's `files` parts: the session as its clients read it. */
      session_info?: components['schemas']['MonaiLabelSessionInfo'];
      /**
       * @description Bytes of the stored image.
       * @example 1094868
       */
      size_bytes: number;
    };
    /** @description Kept as the image info. */
    DatastoreImageParams: {
      /** @description The uploading client, as MONAI Label clients send it. */
      client_id?: string;
    } & {
      [key: string]: unknown;
    };
    /** @description Kept as the label info. */
    DatastoreLabelParams: {
      /** @description The saving client. */
      client_id?: string;
      /** @description The labels of the volume. */
      label_info?: {
        /** @description Its value in the label volume. */
        idx?: number;
        /** @description The label name. */
        name?: string;
      }[];
      /** @description The model that made the label, if any. */
      model?: string;
    } & {
      [key: string]: unknown;
    };
    /** @description Every image of the datastore with its labels. */
    DatastoreListing: {
      /** @description What it holds. */
      description: string;
      /** @description The folder of the images on the server. */
      images_dir: string;
      /** @description The folder of the labels on the server. */
      labels_dir: string;
      /** @description The datastore name. */
      name: string;
      /** @description `{<id>: {image: {ext, info}, labels: {<tag>: {ext, info}}}}`; info holds `ts`, `checksum`, `name` of a stored file, and for a series of the DICOMweb server `SeriesInstanceUID`, `StudyInstanceUID`, `PatientID`, `Modality`, `StudyDate`, `StudyTime` */
      objects?: {
        [key: string]: unknown;
      };
    };
    /** @description How many images and labels the datastore holds. */
    DatastoreStats: {
      /** @description Images with a `final` label */
      completed: number;
      /**
       * @description Labels per tag
       * @example {
       *       "final": 1,
       *       "original": 2
       *     }
       */
      label_tags: Record<string, never>;
      /** @description Images stored */
      total: number;
      /** @description In `GET /info/` only, when the DICOMweb server could not be listed: why (the counts are then 0) */
      unavailable?: string;
    };
    /** @description The image and label files of every `final` label. */
    DatastoreTrainingPairs: {
      /** @description The image file on the server. */
      image?: string;
      /** @description Its final label file on the server. */
      label?: string;
    }[];
    /**
     * @description Deepgrow: foreground and background clicks, `[x, y, z]` voxel indices of the image.
     * @example {
     *       "background": [
     *         [
     *           90,
     *           60,
     *           10
     *         ]
     *       ],
     *       "current_point": [
     *         150,
     *         200,
     *         10
     *       ],
     *       "foreground": [
     *         [
     *           150,
     *           200,
     *           10
     *         ]
     *       ]
     *     }
     */
    DeepgrowParams: {
      /** @description Clicks outside the object. */
      background?: components['schemas']['VoxelPoint'][];
      /** @description The latest click (2-D deepgrow models take its slice). */
      current_point?: components['schemas']['VoxelPoint'] | components['schemas']['VoxelPoint'][];
      /** @description Clicks inside the object; with `background`, at least one click in all. */
      foreground?: components['schemas']['VoxelPoint'][];
    } & {
      [key: string]: unknown;
    };
    /**
     * @description DEXTR3D: the extreme points of the object to annotate.
     * @example {
     *       "points": [
     *         [
     *           120,
     *           200,
     *           10
     *         ],
     *         [
     *           180,
     *           200,
     *           10
     *         ],
     *         [
     *           150,
     *           170,
     *           10
     *         ],
     *         [
     *           150,
     *           230,
     *           10
     *         ],
     *         [
     *           150,
     *           200,
     *           5
     *         ],
     *         [
     *           150,
     *           200,
     *           15
     *         ]
     *       ]
     *     }
     */
    Dextr3dParams: {
      /** @description The extreme points, `[x, y, z]` voxel indices of the image (a 400 names any point outside). */
      points: components['schemas']['VoxelPoint'][] | string;
    } & {
      [key: string]: unknown;
    };
    /** @description `{}`: done. */
    Empty: Record<string, never>;
    /** @description The body of every error reply: the status, its text, a message that says what is wrong and where (the part, field, query parameter or config path at fault), and the kind of error. */
    Error: {
      /**
       * @description The status text (`Session Expired` for AIAA's 440).
       * @example Bad Request
       */
      error: string;
      /**
       * @description The kind of error, which fixes the status: `invalid-input` 400, `not-found` 404 (440 for a session), `conflict` 409, `too-large` 413, `unsupported-media` 415, `unavailable` 503, `timeout` 504 (408 for a stalled upload), `internal` 500; `http` for the framework's own refusals (a query parameter of the wrong type, 403 on admin routes).
       * @example invalid-input
       * @enum {string}
       */
      kind:
        | 'invalid-input'
        | 'not-found'
        | 'conflict'
        | 'too-large'
        | 'unsupported-media'
        | 'unavailable'
        | 'timeout'
        | 'internal'
        | 'http';
      /**
       * @description What is wrong and where, expected versus got. A 500 names only the failed operation.
       * @example params.points[5]: [150, 200, 900] is outside the image (size [512, 512, 90])
       */
      message: string;
      /**
       * @description The HTTP status, repeated.
       * @example 400
       */
      statusCode: number;
    };
    /** @description The vertex to move, how far, and the polygons it belongs to. */
    FixPolygonParams: {
      /**
       * @description 2 or 3; absent: 3 when `slice_index` is given, else 2.
       * @enum {number}
       */
      dimension?: 2 | 3;
      /**
       * @description dimension 2: a list of polygons, each a closed ring of `[x, y]` pixel indices (x along the PNG width). dimension 3: a list per slice (k) of such lists, vertex `[x, y]` at voxel (i = y, j = x, k), as `/v1/mask2polygon` answers them and the official client sends them.
       * @example [
       *       [
       *         [
       *           1,
       *           1
       *         ],
       *         [
       *           3,
       *           1
       *         ],
       *         [
       *           3,
       *           3
       *         ],
       *         [
       *           1,
       *           3
       *         ]
       *       ]
       *     ]
       */
      poly: components['schemas']['PixelPoint'][][] | components['schemas']['PixelPoint'][][][];
      /**
       * @description The polygon of the moved vertex (in its slice for dimension 3).
       * @example 0
       */
      polygon_index: number;
      /**
       * @description Vertices dragged along on each side of the moved one; default 0.
       * @example 1
       */
      propagate_neighbor?: number;
      /**
       * @description dimension 3: slices edited above and below; default 0.
       * @example 3
       */
      propagate_neighbor_3d?: number;
      /**
       * @description dimension 3: the slice (k) of the moved vertex.
       * @example 104
       */
      slice_index?: number;
      /**
       * @description The moved vertex in its polygon.
       * @example 2
       */
      vertex_index: number;
      /**
       * @description The move `[dx, dy]` in pixels (a third, slice component is accepted only as 0).
       * @example [
       *       8,
       *       5
       *     ]
       */
      vertex_offset: number[];
    };
    /** @description The polygons after the edit. */
    FixPolygonResult: {
      /** @description The updated polygons, in the shape they were sent (per slice for dimension 3). */
      poly: components['schemas']['PixelPoint'][][] | components['schemas']['PixelPoint'][][][];
    };
    /** @description How the server and the engine it sends inference to are. */
    Health: {
      /**
       * @description The engine of `--engine`.
       * @example AIAA
       * @enum {string}
       */
      engine: 'AIAA' | 'TRITON';
      /** @description The shape formats (`image_format`) model configs may name. */
      shapeFormats: ('HW' | 'CHW' | 'HWC' | 'NCHW' | 'DHW' | 'CDHW' | 'DHWC' | 'NCDHW')[];
      /**
       * @description `degraded` when the engine the server sends inference to (Triton) is not ready.
       * @enum {string}
       */
      status: 'ok' | 'degraded';
      /** @description With `--engine TRITON`: Triton's liveness and readiness. */
      triton?: components['schemas']['TritonServerStatus'];
    };
    /**
     * @description Any JSON object: the model's transforms read what they need from it.
     * @example {}
     */
    InferenceParams: {
      [key: string]: unknown;
    };
    /** @description What the model's post-transforms put in its result (its writer's `json`): the keys depend on the model; a classification model answers its label and score here alone. */
    InferenceResult: {
      /** @description `BoundingBox`: `[[x0, y0, z0], [x1, y1, z1]]` of the result mask. */
      bbox?: number[][];
      /** @description `FetchExtremePoints`: the six extreme points of the result mask, on the input grid (segmentation models). */
      points?: components['schemas']['VoxelPoint'][];
    } & {
      [key: string]: unknown;
    };
    /**
     * @description Log lines, oldest first: one JSON object per line.
     * @example {"level":30,"time":1767268800000,"msg":"Nest application successfully started"}
     */
    LogLines: string;
    /** @description How finely to outline. */
    Mask2PolygonParams: {
      /**
       * @description 0 keeps only the corners of each outline; N ≥ 1 also keeps a vertex every max(1, round(8 / N)) pixels along straight runs (N ≥ 8: every pixel).
       * @default 0
       */
      more_points: number;
    };
    /**
     * @description Prometheus text exposition format 0.0.4: `# HELP`/`# TYPE` lines and one sample per line.
     * @example # TYPE aiaa_inference_requests_succeeded_total counter
     *     aiaa_inference_requests_succeeded_total{model="spleen_ct_threshold",version="1",route="segmentation",protocol="aiaa"} 3
     */
    MetricsScrape: string;
    /** @description The model's `config_aiaa.json`, as uploaded. */
    ModelConfig: {
      /** @description What the model does. */
      description?: string;
      /** @description How it runs (engine sections, sliding window, tensors). */
      inference?: Record<string, never>;
      /** @description The labels it segments. */
      labels?: string[];
      /** @description Steps after inference. */
      post_transforms?: Record<string, never>[];
      /** @description Steps before inference. */
      pre_transforms?: Record<string, never>[];
      /**
       * @description The model type.
       * @enum {string}
       */
      type?: 'segmentation' | 'annotation' | 'classification' | 'deepgrow' | 'others' | 'pipeline';
      /** @description The model version. */
      version?: string;
      /** @description What the reply carries: the result file and its JSON. */
      writer?: Record<string, never>;
    } & {
      [key: string]: unknown;
    };
    /** @description A loaded model as the AIAA clients read it. Keys of the config's `inference.meta_data` are copied in (e.g. `deepgrow: "3D"`), so other keys may appear. */
    ModelInfo: {
      /**
       * @description deepgrow models: `2D` or `3D` (from `inference.meta_data`; Slicer picks 3D when it holds '3d').
       * @example 3D
       */
      deepgrow?: string;
      /** @description The config's `description`. */
      description: string;
      /** @description The name the engine knows the model by, which the AIAA clients accept (with its space); not sent by this server, whose engines use `name`. */
      'internal name'?: string;
      /**
       * @description The labels the model segments.
       * @example [
       *       "spleen"
       *     ]
       */
      labels: string[];
      /**
       * @description The model name, as `?model=` takes it.
       * @example spleen_ct_threshold
       */
      name: string;
      /**
       * @description annotation models: voxels of margin around the extreme points.
       * @example 20
       */
      padding?: number;
      /**
       * @description annotation models: the size the cropped region is resized to, in voxels.
       * @example [
       *       128,
       *       128,
       *       128
       *     ]
       */
      roi?: number[];
      /**
       * @description annotation models: the Gaussian sigma of the point channel.
       * @example 3
       */
      sigma?: number;
      /** @description Models served by Triton: their state there. */
      triton?: components['schemas']['TritonModelState'];
      /**
       * @description Which routes serve it.
       * @example segmentation
       * @enum {string}
       */
      type: 'segmentation' | 'annotation' | 'classification' | 'deepgrow' | 'others' | 'pipeline';
      /**
       * @description The config's `version`, always a string (the C++ client needs one).
       * @example 1
       */
      version: string;
    };
    /** @description The loaded models, filtered by `label` and `type`. */
    ModelList: components['schemas']['ModelInfo'][];
    /** @description A model's row in the registry: what was installed, when, and its files. */
    ModelRecord: {
      /**
       * @description The registry version that serves (`models/<name>/<activeVersion>/`).
       * @example 3
       */
      activeVersion: number;
      /**
       * @description When the model was first registered, ISO 8601.
       * @example 2026-01-01T12:00:00.000Z
       */
      createdAt: string;
      /** @description The config's `description`. */
      description: string;
      /**
       * @description `AIAA` (in-process onnxruntime), `TRITON`, or `native` (uploaded with `?native=true`).
       * @example AIAA
       * @enum {string}
       */
      engine: 'AIAA' | 'TRITON' | 'native';
      /**
       * @description The config's `labels`; when it gives none, the `.onnx` file's `labels` metadata (of a loaded model).
       * @example [
       *       "spleen"
       *     ]
       */
      labels: string[];
      /** @description Whether the model is loaded and serving. */
      loaded: boolean;
      /**
       * @description The model file inside `models/<name>/<activeVersion>/`; absent for pipeline and plugin models.
       * @example model.onnx
       */
      modelFile?: string;
      /**
       * @description Registry name (`PUT /admin/model/{name}`).
       * @example segmentation_ct_spleen
       */
      name: string;
      /** @description SHA-256 of the model file (of the config when there is none), hex. */
      sha256: string;
      /**
       * @description Bytes of every file of the active version.
       * @example 1048576
       */
      sizeBytes: number;
      /**
       * @description The config's `type`.
       * @example segmentation
       * @enum {string}
       */
      type: 'segmentation' | 'annotation' | 'classification' | 'deepgrow' | 'others' | 'pipeline';
      /**
       * @description When a version was last added or activated, ISO 8601.
       * @example 2026-01-02T08:30:00.000Z
       */
      updatedAt: string;
      /**
       * @description The active version's config `version` field, as a string (AIAA's).
       * @example 1
       */
      version: string;
      /**
       * @description Every kept version, ascending.
       * @example [
       *       1,
       *       2,
       *       3
       *     ]
       */
      versions: number[];
    };
    /** @description Every registered model, by name. */
    ModelRecordList: components['schemas']['ModelRecord'][];
    /** @description One kept version of a model, in `models/<name>/<version>/`. */
    ModelVersion: {
      /** @description Whether this version serves. */
      active: boolean;
      /**
       * @description The address the upload came from.
       * @example 127.0.0.1
       */
      clientAddress?: string;
      /**
       * @description How the upload was let in: `admin_hosts` (its address) or `admin_token`.
       * @example admin_hosts
       */
      clientAuth?: string;
      /**
       * @description The config's own `version` field.
       * @example 1
       */
      configVersion: string;
      /** @description When it was uploaded (or found), ISO 8601. */
      createdAt: string;
      /** @description The version's config `description`. */
      description: string;
      /**
       * @description `AIAA`, `TRITON` or `native`.
       * @example AIAA
       */
      engine: string;
      /**
       * @description The version's config `labels`.
       * @example [
       *       "spleen"
       *     ]
       */
      labels: string[];
      /**
       * @description The model file in the version folder.
       * @example model.onnx
       */
      modelFile?: string;
      /**
       * @description `upload` (`PUT /admin/model`), `folder` (found in `models/` at boot) or `migrated`.
       * @example upload
       */
      origin: string;
      /** @description SHA-256 of the model file (of the config when there is none), hex. */
      sha256: string;
      /** @description Bytes of the version folder. */
      sizeBytes: number;
      /**
       * @description The file name the client sent.
       * @example model.pt
       */
      sourceFile?: string;
      /**
       * @description The version's config `type`.
       * @example segmentation
       */
      type: string;
      /**
       * @description The version number: its folder `models/<name>/<version>/`.
       * @example 2
       */
      version: number;
    };
    /** @description A model's kept versions and the one that serves. */
    ModelVersions: {
      /**
       * @description The version that serves.
       * @example 2
       */
      activeVersion: number;
      /**
       * @description The model name.
       * @example spleen
       */
      name: string;
      /** @description Every kept version, newest first. */
      versions: components['schemas']['ModelVersion'][];
    };
    /** @description Whether clients must log in. */
    MonaiLabelAuth: {
      /**
       * @description Always false: no login.
       * @example false
       */
      enabled: boolean;
    };
    /**
     * @description The request params; keys this server does not know are ignored, as MONAI Label's do.
     * @example {
     *       "background": [],
     *       "foreground": [
     *         [
     *           106,
     *           229,
     *           14
     *         ]
     *       ],
     *       "result_extension": ".nrrd"
     *     }
     */
    MonaiLabelInferParams: {
      /** @description Background clicks (deepgrow, deepedit). */
      background?: number[][];
      /** @description Foreground clicks (deepgrow, deepedit). */
      foreground?: number[][];
      /** @description deepedit: the current label; its click list (a key named after it) becomes the foreground, the other labels' lists the background. */
      label?: string;
      /** @description A DICOM SEG's segment names, `[{name, id}]` (default: the model's labels). */
      label_info?: {
        /** @description The label value it names. */
        id?: number;
        /** @description The label value, as 3D Slicer names it (when `id` is absent). */
        idx?: number;
        /** @description The segment name. */
        name?: string;
      }[];
      /** @description The tag `save_label` saves it under (default `original`). */
      label_tag?: string;
      /** @description Accepted as a boolean; label lists are already 1..n. */
      restore_label_idx?: boolean;
      /** @description Whether an NRRD result is gzip-encoded. */
      result_compress?: boolean;
      /** @description The voxel type of the result (`uint8`, `uint16`, …). */
      result_dtype?: string;
      /**
       * @description The format of the result file (default: the input's suffix).
       * @enum {string}
       */
      result_extension?: '.nrrd' | '.nii.gz' | '.nii';
      /** @description A region `[imin, imax, jmin, jmax, kmin, kmax]` inside the image. */
      roi?: number[];
      /** @description On a datastore image: also store the result as its label under `label_tag`. */
      save_label?: boolean;
      /** @description On a series of the DICOMweb server: also store the result there as a DICOM SEG (STOW-RS). */
      save_seg?: boolean;
      /** @description A 2-D model: the slice (k) to run on. */
      slice?: number;
    } & {
      [key: string]: unknown;
    };
    /** @description The model's result JSON with MONAI Label's `label_names` and `latencies`. */
    MonaiLabelInferResult: {
      /** @description With `params.save_seg: true`: the UIDs of the DICOM SEG stored on the PACS. */
      dicom_seg?: {
        /** @description The SEG instance. */
        SOPInstanceUID?: string;
        /** @description The SEG's own series. */
        SeriesInstanceUID?: string;
        /** @description The study of the source series, which holds the SEG. */
        StudyInstanceUID?: string;
      };
      /** @description The model's labels, value n for name n. */
      label_names?: string[];
      /** @description Stage times in seconds, rounded to 10 ms. */
      latencies?: {
        /** @description Inference, seconds. */
        infer?: number;
        /** @description Inverse transforms, seconds (0 here). */
        invert?: number;
        /** @description Post-transforms, seconds. */
        post?: number;
        /** @description Pre-transforms, seconds. */
        pre?: number;
        /** @description The whole request, seconds. */
        total?: number;
        /** @description Per-transform times: null (see Server-Timing). */
        transform?: Record<string, never> | null;
        /** @description Writing the result, seconds. */
        write?: number;
      } & {
        [key: string]: unknown;
      };
    } & {
      [key: string]: unknown;
    };
    /** @description The MONAI Label app this server presents. */
    MonaiLabelInfo: {
      /** @description The datastore counts. */
      datastore: components['schemas']['DatastoreStats'];
      /** @description What the app is. */
      description: string;
      /** @description Every model's labels */
      labels: string[];
      /** @description The models by name. */
      models: {
        [key: string]: components['schemas']['MonaiLabelModel'];
      };
      /** @description The app name. */
      name: string;
      /** @description None: no scoring methods. */
      scoring: {
        [key: string]: unknown;
      };
      /**
       * @description The strategies of `POST /activelearning/{strategy}`, by name.
       * @example {
       *       "first": {
       *         "description": "…"
       *       },
       *       "random": {
       *         "description": "…"
       *       }
       *     }
       */
      strategies: {
        [key: string]: {
          /** @description What the strategy picks. */
          description?: string;
        };
      };
      /** @description None: nothing was trained here. */
      train_stats: {
        [key: string]: unknown;
      };
      /** @description None: this server runs inference only */
      trainers: {
        [key: string]: unknown;
      };
      /** @description The server's version. */
      version: string;
    };
    /** @description A model as MONAI Label clients read it. */
    MonaiLabelModel: {
      /** @description Options offered to users (none) */
      config: {
        [key: string]: unknown;
      };
      /** @description The config's `description`. */
      description: string;
      /**
       * @description 2 for deepgrow 2D models (clicks on one slice)
       * @enum {number}
       */
      dimension: 2 | 3;
      /** @description Label names; the value written for label n (1-based) is n */
      labels: string[];
      /**
       * @description MONAI Label's type for the config's: `pipeline` models are `deepedit`
       * @enum {string}
       */
      type: 'segmentation' | 'annotation' | 'classification' | 'deepgrow' | 'deepedit' | 'others';
    };
    /** @description The session as MONAI Label's clients read it. */
    MonaiLabelSessionInfo: {
      /**
       * @description When the session was created, Unix seconds.
       * @example 1767225600.5
       */
      create_ts: number;
      /**
       * @description Seconds of inactivity after which the session is removed.
       * @example 3600
       */
      expiry: number;
      /** @description Where the server keeps the session image. */
      image: string;
      /**
       * @description The last request that used it, Unix seconds.
       * @example 1767225600.5
       */
      last_access_ts: number;
      /** @description The image, as read at upload. */
      meta: components['schemas']['SessionImage'];
      /**
       * @description The uploaded file's name, as the client sent it.
       * @example spleen_8_ct.nii.gz
       */
      name: string;
    };
    /** @description The image to annotate next. */
    NextSample: {
      /** @description A series: its modality (CT, MR, …) */
      Modality?: string;
      /** @description A series: its patient */
      PatientID?: string;
      /** @description A series of the DICOMweb server: its UID (the id), as OHIF reads it */
      SeriesInstanceUID?: string;
      /** @description A series: its study date, YYYYMMDD */
      StudyDate?: string;
      /** @description A series: its study, which OHIF opens */
      StudyInstanceUID?: string;
      /** @description A series: its study time, HHMMSS */
      StudyTime?: string;
      /**
       * @description The content hash of a stored image (none for a series of the PACS).
       * @example SHA256:9f86d081…
       */
      checksum?: string;
      /** @description The image id */
      id: string;
      /** @description File name with its suffix (`<id>.nii.gz`): clients save the download under it */
      name: string;
      /** @description Where the image lies on the server (Slicer on the same host opens it there) */
      path?: string;
      /** @description The strategy that picked it */
      strategy: string;
      /** @description Unix seconds when the image was stored (not for a PACS series) */
      ts?: number;
    };
    /** @description `{}`: every image has a `final` label. */
    NoSampleLeft: Record<string, never>;
    /** @description The HTML of the page. */
    PageHtml: string;
    /** @description Plain text for whoever opened the page: where the page should be and how to build it. */
    PageMissing: string;
    /**
     * @description `[x, y]`: a pixel of a PNG (x along its width), or voxel (i = y, j = x) of a NIfTI slice, as the official client reads them.
     * @example [
     *       12,
     *       40
     *     ]
     */
    PixelPoint: number[];
    /**
     * @description Outer outlines of the label mask (holes are not traced), one list per slice (k) of polygons, one per 8-connected component, each a counter-clockwise ring (y down) of `[x, y]` = voxel (i = y, j = x, k).
     * @example [
     *       [],
     *       [
     *         [
     *           [
     *             1,
     *             1
     *           ],
     *           [
     *             3,
     *             1
     *           ],
     *           [
     *             3,
     *             3
     *           ],
     *           [
     *             1,
     *             3
     *           ]
     *         ]
     *       ]
     *     ]
     */
    PolygonsBySlice: components['schemas']['PixelPoint'][][][];
    /** @description A sample volume shipped with the server. */
    Sample: {
      /**
       * @description The file size in bytes.
       * @example 1094868
       */
      bytes: number;
      /**
       * @description The file name, as `GET /samples/{name}` takes it.
       * @example spleen_8_ct.nii.gz
       */
      name: string;
    };
    /** @description The sample volumes, sorted by name. */
    SampleList: components['schemas']['Sample'][];
    /**
     * @description Usually `{}`; any keys are handed to the model (its transforms read them from the params).
     * @example {}
     */
    SegmentationParams: {
      [key: string]: unknown;
    };
    /** @description The closed session. */
    SessionClosed: {
      /**
       * @description Always true: the session and its files are gone.
       * @enum {boolean}
       */
      deleted: true;
      /** @description The id of the closed session. */
      session_id: string;
    };
    /** @description The session image, as read at upload. */
    SessionImage: {
      /**
       * @description Values per voxel (1 for a scalar image).
       * @example 1
       */
      channels: number;
      /**
       * @description The voxel type as stored (`uint8`, `int16`, `float32`, …).
       * @example int16
       */
      dtype: string;
      /**
       * @description Sizes `[i, j, k]` (W, H, D) in voxels.
       * @example [
       *       512,
       *       512,
       *       90
       *     ]
       */
      size: number[];
      /**
       * @description Voxel size along i, j, k, in mm.
       * @example [
       *       0.79,
       *       0.79,
       *       5
       *     ]
       */
      spacing_mm: number[];
    };
    /** @description An uploaded image that later requests name by `session_id`. */
    SessionInfo: {
      /**
       * @description When the session was created, Unix seconds.
       * @example 1767225600.5
       */
      create_ts: number;
      /**
       * @description Seconds of inactivity after which the session is removed.
       * @example 3600
       */
      expiry: number;
      /** @description The image, as read at upload. */
      image: components['schemas']['SessionImage'];
      /**
       * @description The last request that used it, Unix seconds.
       * @example 1767225612.25
       */
      last_access_ts: number;
      /**
       * @description The uploaded file's name, as the client sent it.
       * @example spleen_8_ct.nii.gz
       */
      name: string;
      /**
       * @description The id to send as `session_id`.
       * @example 8c5f1e0e-3a8f-4c55-9e0b-2f1b8f0e6a11
       */
      session_id: string;
      /**
       * @description Bytes of the stored image.
       * @example 1094868
       */
      size_bytes: number;
    };
    /**
     * @description Sent as `{}` by the clients; nothing in it is read.
     * @example {}
     */
    SessionParams: {
      [key: string]: unknown;
    };
    /** @description The stored image. */
    StoredImage: {
      /** @description The id the image was stored under */
      image: string;
    };
    /** @description The stored label. */
    StoredLabel: {
      /** @description `SHA256:<hex>` of the stored label */
      checksum: string;
      /** @description The image id */
      image: string;
      /** @description The label id (the image id) */
      label: string;
      /** @description The tag it was saved under */
      tag: string;
    };
    /** @description A model's state as Triton's repository index reports it. */
    TritonModelState: {
      /** @description Why it is not ready: a failed load, or why Triton could not be asked. */
      reason?: string;
      /**
       * @description Triton's state (`READY`, `UNAVAILABLE`, …), `UNREACHABLE` when Triton cannot be asked, `NOT_IN_REPOSITORY` when Triton does not list the model.
       * @example READY
       */
      state: string;
    };
    /** @description The Triton server inference goes to, as it reports itself. */
    TritonServerStatus: {
      /**
       * @description Triton's gRPC address (`--triton_ip:--triton_port`).
       * @example 127.0.0.1:8001
       */
      address: string;
      /**
       * @description Why it is not ready.
       * @example unreachable: connect ECONNREFUSED
       */
      detail?: string;
      /** @description Whether Triton answers at all. */
      live: boolean;
      /** @description Whether Triton can run inference. */
      ready: boolean;
    };
    /**
     * @description `[x, y, z]`: voxel indices of the image as stored (x along `dim[1]`, z the slice).
     * @example [
     *       150,
     *       200,
     *       10
     *     ]
     */
    VoxelPoint: number[];
  };
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
/** Every operation by its `operationId`: parameters, request body and replies by status. */
export interface operations {
  page: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The page. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/html': components['schemas']['PageHtml'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The page is not built (`npm start` builds it); the API answers meanwhile. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/plain': components['schemas']['PageMissing'];
        };
      };
    };
  };
  nextSample: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description How to pick, as `GET /info/` lists. */
        strategy: 'random' | 'first';
      };
      cookie?: never;
    };
    /** @description JSON `{"client_id": ...}`, ignored. */
    requestBody?: {
      content: {
        'application/json': {
          [key: string]: unknown;
        };
      };
    };
    responses: {
      /** @description The image, or `{}`. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['NextSample'] | components['schemas']['NoSampleLeft'];
        };
      };
      /** @description A body that is not JSON. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description An unknown strategy; the message lists the known ones. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The DICOMweb server (`--dicomweb`) whose series are listed cannot be reached; the message names it. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  get: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description a JSON Schema */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            [key: string]: unknown;
          };
        };
      };
      /** @description The client is not in `--admin_hosts` (default: loopback) and sent no valid `Authorization: Bearer` token. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listModelRecords: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The registered models. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ModelRecordList'];
        };
      };
      /** @description The client is not in `--admin_hosts` (default: loopback) and sent no valid `Authorization: Bearer` token. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The registry database is unreachable (the message says so); loaded models keep serving inference. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getModelConfig: {
    parameters: {
      query?: {
        /** @description A kept version of the model. */
        version?: number;
      };
      header?: never;
      path: {
        /** @description The model name: letters, digits, `.`, `_`, `-`; at most 64 characters. */
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The stored `config_aiaa.json` plus `active_version` and `versions`. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ModelConfig'];
        };
      };
      /** @description The name breaks the naming rule, which the message names. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The client is not in `--admin_hosts` (default: loopback) and sent no valid `Authorization: Bearer` token. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No model, or no such version of it. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The registry database is unreachable (the message says so); loaded models keep serving inference. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putModel: {
    parameters: {
      query?: {
        /** @description `true`: run the model in-process (onnxruntime) even when the server runs `--engine TRITON`. */
        native?: boolean;
      };
      header?: never;
      path: {
        /** @description The model name: letters, digits, `.`, `_`, `-`; at most 64 characters. */
        name: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'multipart/form-data': {
          /**
           * Format: binary
           * @description `config_aiaa.json`, as a file part or a text field (at most 4 MiB).
           */
          config?: Blob;
          /**
           * Format: binary
           * @description The model file (`.onnx`), or a zip bundle of `config/config_aiaa.json` and `models/…`.
           */
          data?: Blob;
        };
      };
    };
    responses: {
      /** @description The model, its new version active. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ModelRecord'];
        };
      };
      /** @description A bad name, config, bundle or plugin, named in the message; nothing changed. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The client is not in `--admin_hosts` (default: loopback) and sent no valid `Authorization: Bearer` token. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The body sent nothing for `--upload_idle_timeout_sec` seconds, or did not arrive whole within `--body_timeout_sec`; the server closes the connection. */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The name differs only by case from a registered model. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Too large: a part or a request over `--max_upload_mb`, an image whose voxels exceed the size limit, or an array the request would need past `--request_budget_mb` (the message names the step and the size). */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description With `--engine TRITON`: Triton could not load the model; nothing changed. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteModel: {
    parameters: {
      query?: {
        /** @description A kept version of the model. */
        version?: number;
      };
      header?: never;
      path: {
        /** @description The model name: letters, digits, `.`, `_`, `-`; at most 64 characters. */
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The removed model, or with `?version=N` the removed version. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ModelRecord'] | components['schemas']['ModelVersion'];
        };
      };
      /** @description The name breaks the naming rule, which the message names. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The client is not in `--admin_hosts` (default: loopback) and sent no valid `Authorization: Bearer` token. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No model, or no such version of it. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description `?version=N` names the active version. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The registry database is unreachable (the message says so); loaded models keep serving inference. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  activateModelVersion: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The model name: letters, digits, `.`, `_`, `-`; at most 64 characters. */
        name: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': components['schemas']['ActivateVersionDto'];
      };
    };
    responses: {
      /** @description The model, the version active. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ModelRecord'];
        };
      };
      /** @description The body is not `{"version": N}`, or the version fails to load. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The client is not in `--admin_hosts` (default: loopback) and sent no valid `Authorization: Bearer` token. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No model, or no such version of it. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The registry database is unreachable (the message says so); loaded models keep serving inference. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listModelVersions: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The model name: letters, digits, `.`, `_`, `-`; at most 64 characters. */
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The kept versions. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ModelVersions'];
        };
      };
      /** @description The name breaks the naming rule, which the message names. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The client is not in `--admin_hosts` (default: loopback) and sent no valid `Authorization: Bearer` token. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No model by that name is registered. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The registry database is unreachable (the message says so); loaded models keep serving inference. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  monaiLabelAuth: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Authentication is off. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MonaiLabelAuth'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  datastore: {
    parameters: {
      query?: {
        /** @description `stats` (default): counts; `all`: every image with its labels; `train`: `[{image, label}]` paths */
        output?: 'stats' | 'all' | 'train';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description `stats`: the counts; `all`: the listing; `train`: `[{image, label}]` paths of final labels. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json':
            | components['schemas']['DatastoreStats']
            | components['schemas']['DatastoreListing']
            | components['schemas']['DatastoreTrainingPairs'];
        };
      };
      /** @description Bad input; the message names the part, field, query parameter or config path at fault. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The DICOMweb server (`--dicomweb`) cannot be reached; the message names it. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putImageAtRoot: {
    parameters: {
      query?: {
        /** @description The id to store the image under (letters, digits, '.', '_', '-', starting with a letter or digit; at most 128 characters); default: the file's base name */
        image?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'multipart/form-data': {
          /**
           * Format: binary
           * @description The image: NIfTI (`.nii.gz` or `.nii`); its suffix is kept.
           */
          file: Blob;
          /** @description JSON text, kept as the image info (optional). */
          params?: components['schemas']['DatastoreImageParams'];
        };
      };
    };
    responses: {
      /** @description The stored image. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['StoredImage'];
        };
      };
      /** @description An id or tag that is not a safe name (e.g. holds '..' or '/'), named in the message. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The body sent nothing for `--upload_idle_timeout_sec` seconds, or did not arrive whole within `--body_timeout_sec`; the server closes the connection. */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Too large: a part or a request over `--max_upload_mb`, an image whose voxels exceed the size limit, or an array the request would need past `--request_budget_mb` (the message names the step and the size). */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteImageAtRoot: {
    parameters: {
      query: {
        /** @description The image id to remove, with its labels */
        id: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description `{}`. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Empty'];
        };
      };
      /** @description An id or tag that is not a safe name (e.g. holds '..' or '/'), named in the message. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such image or label. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getImage: {
    parameters: {
      query: {
        /** @description The image id (letters, digits, '.', '_', '-', starting with a letter or digit; at most 128 characters) */
        image: string;
        /** @description HEAD only: `SHA256:<hex>`; 404 when the stored image differs */
        check_sum?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The file, `Content-Disposition: attachment; filename="<id><suffix>"` (the suffix tells its format). */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/octet-stream': Blob;
        };
      };
      /** @description An id or tag that is not a safe name (e.g. holds '..' or '/'), named in the message. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such image or label. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Too large: a part or a request over `--max_upload_mb`, an image whose voxels exceed the size limit, or an array the request would need past `--request_budget_mb` (the message names the step and the size). */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description An encoding the server cannot read (a compressed DICOM transfer syntax), named in the message. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The DICOMweb server (`--dicomweb`) cannot be reached; the message names it. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putImage: {
    parameters: {
      query?: {
        /** @description The id to store the image under (letters, digits, '.', '_', '-', starting with a letter or digit; at most 128 characters); default: the file's base name */
        image?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'multipart/form-data': {
          /**
           * Format: binary
           * @description The image: NIfTI (`.nii.gz` or `.nii`); its suffix is kept.
           */
          file: Blob;
          /** @description JSON text, kept as the image info (optional). */
          params?: components['schemas']['DatastoreImageParams'];
        };
      };
    };
    responses: {
      /** @description The stored image. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['StoredImage'];
        };
      };
      /** @description An id or tag that is not a safe name (e.g. holds '..' or '/'), named in the message. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The body sent nothing for `--upload_idle_timeout_sec` seconds, or did not arrive whole within `--body_timeout_sec`; the server closes the connection. */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Too large: a part or a request over `--max_upload_mb`, an image whose voxels exceed the size limit, or an array the request would need past `--request_budget_mb` (the message names the step and the size). */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteImage: {
    parameters: {
      query: {
        /** @description The image id to remove, with its labels */
        id: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description `{}`. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Empty'];
        };
      };
      /** @description An id or tag that is not a safe name (e.g. holds '..' or '/'), named in the message. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such image or label. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  hasImage: {
    parameters: {
      query: {
        /** @description The image id (letters, digits, '.', '_', '-', starting with a letter or digit; at most 128 characters) */
        image: string;
        /** @description HEAD only: `SHA256:<hex>`; 404 when the stored image differs */
        check_sum?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description It exists (HEAD: no body). */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description An id or tag that is not a safe name (e.g. holds '..' or '/'), named in the message. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such image or label. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The DICOMweb server (`--dicomweb`) cannot be reached; the message names it. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getLabel: {
    parameters: {
      query: {
        /** @description The label id: the id of its image */
        label: string;
        /** @description The tag: `final` (default) or `original`, or any name of letters, digits, '.', '_', '-' */
        tag?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The file, `Content-Disposition: attachment; filename="<id><suffix>"` (the suffix tells its format). */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/octet-stream': Blob;
        };
      };
      /** @description An id or tag that is not a safe name (e.g. holds '..' or '/'), named in the message. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such image or label. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  putLabel: {
    parameters: {
      query: {
        /** @description The image the label belongs to (letters, digits, '.', '_', '-', starting with a letter or digit; at most 128 characters) */
        image: string;
        /** @description The tag to save it under: `final` (default) or `original`, or any name of letters, digits, '.', '_', '-' */
        tag?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'multipart/form-data': {
          /**
           * Format: binary
           * @description The label: NIfTI on the image grid, NRRD (`.nrrd`, `.seg.nrrd`), or `.bin` (raw uint8, x fastest, stored as NIfTI).
           */
          label: Blob;
          /** @description JSON text, kept as the label info (optional). */
          params?: components['schemas']['DatastoreLabelParams'];
        };
      };
    };
    responses: {
      /** @description The stored label. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['StoredLabel'];
        };
      };
      /** @description An id or tag that is not a safe name (e.g. holds '..' or '/'), named in the message. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such image or label. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The body sent nothing for `--upload_idle_timeout_sec` seconds, or did not arrive whole within `--body_timeout_sec`; the server closes the connection. */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Too large: a part or a request over `--max_upload_mb`, an image whose voxels exceed the size limit, or an array the request would need past `--request_budget_mb` (the message names the step and the size). */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteLabel: {
    parameters: {
      query: {
        /** @description The image id whose label is removed */
        id: string;
        /** @description The tag to remove; every label of the image when absent */
        tag?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description `{}`. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Empty'];
        };
      };
      /** @description An id or tag that is not a safe name (e.g. holds '..' or '/'), named in the message. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such image or label. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  hasLabel: {
    parameters: {
      query: {
        /** @description The image id */
        image: string;
        /** @description The tag: `final` (default) or `original`, or any name of letters, digits, '.', '_', '-' */
        tag?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description It exists (HEAD: no body). */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** @description An id or tag that is not a safe name (e.g. holds '..' or '/'), named in the message. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such image or label. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  health: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The health report. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Health'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  ready: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The health report, status `ok`. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Health'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The health report, status `degraded` (not the `Error` body: the report says why). */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Health'];
        };
      };
    };
  };
  monaiLabelInfer: {
    parameters: {
      query?: {
        /** @description A datastore image id (`PUT /datastore/?image=`), or with `--dicomweb` a SeriesInstanceUID of the DICOMweb server (retrieved once, then kept); unused when a `file` part or a session is given */
        image?: string;
        /** @description Run on the image of this session (`PUT /session/`); 440 when unknown or expired */
        session_id?: string;
        /** @description `image`: the result file alone (what OHIF asks for); `json`: the result JSON alone; `all` or absent: multipart `params` + `image` (what 3D Slicer and the Python client parse); `dicom_seg`: the result as a DICOM SEG (`application/dicom`) referencing the series, for a series of the DICOMweb server, segments named by `params.label_info` or the model's labels */
        output?: 'all' | 'image' | 'json' | 'dicom_seg';
      };
      header?: never;
      path: {
        /** @description A model name, as `GET /info/` lists it. */
        model: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'multipart/form-data': {
          /**
           * Format: binary
           * @description The image itself (NIfTI), instead of `?image=`.
           */
          file?: Blob;
          /**
           * Format: binary
           * @description A label on the image grid (NIfTI, or `.bin`: raw uint8), handed to the model as `label`.
           */
          label?: Blob;
          /** @description The request params, JSON text (absent: `{}`). */
          params?: components['schemas']['MonaiLabelInferParams'];
        };
      };
    };
    responses: {
      /** @description Multipart `params` + `image` by default; the file alone with `output=image`, the JSON with `json`, the DICOM SEG with `dicom_seg`. */
      200: {
        headers: {
          /** @description With `output=image`: `attachment; filename="result.nii.gz"`. */
          'Content-Disposition'?: string;
          /** @description Milliseconds per stage (`upload;dur=12.3, read;dur=40.1, infer;dur=80.6, …, total;dur=150.2`), then `cache;desc=hit` when the model skipped its pre-transforms for a kept snapshot of the session image. */
          'Server-Timing'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/dicom': Blob;
          'application/json': components['schemas']['MonaiLabelInferResult'];
          'application/octet-stream': Blob;
          'multipart/form-data': {
            /**
             * Format: binary
             * @description The result file, `filename="result.nrrd"`.
             */
            image: Blob;
            /** @description The JSON result: the first part, a form field without Content-Type whose text is JSON. */
            params: components['schemas']['MonaiLabelInferResult'];
          };
        };
      };
      /** @description Bad params (a click outside the image, an unknown `result_extension`, …), named in the message. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No such model, datastore image or series of the DICOMweb server. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The body sent nothing for `--upload_idle_timeout_sec` seconds, or did not arrive whole within `--body_timeout_sec`; the server closes the connection. */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The PACS refused to store the DICOM SEG (`save_seg`); the message gives its reason. */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Too large: a part over `--max_upload_mb`, an image over the size limit, or a series over `--dicomweb_max_series_mb`. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The PACS can send the series only in a compressed transfer syntax, named in the message. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unknown or expired `session_id`. */
      440: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Triton cannot serve now, or the DICOMweb server cannot be reached (named in the message); try again later. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The work ran past `--request_timeout_sec` and was cancelled. */
      504: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  monaiLabelInfo: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The app. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['MonaiLabelInfo'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  logs: {
    parameters: {
      query?: {
        /** @description How many of the last lines: a whole number from 1 to 100000 (default, and for anything else: 100). */
        lines?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The last lines of the server log. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/plain': components['schemas']['LogLines'];
        };
      };
      /** @description Bad input; the message names the part, field, query parameter or config path at fault. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The client is not in `--admin_hosts` (default: loopback) and sent no valid `Authorization: Bearer` token. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  metrics: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The scrape. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/plain; version=0.0.4': components['schemas']['MetricsScrape'];
        };
      };
      /** @description The client is not in `--admin_hosts` (default: loopback) and sent no valid `Authorization: Bearer` token. */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  proxyDicomGet: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description QIDO-RS, WADO-RS or STOW-RS: all three reach the same DICOMweb root. */
        service: 'qido' | 'wado' | 'stow';
        /** @description The DICOMweb resource below the service root, e.g. `studies`, `studies/{uid}/series/{uid}/metadata`. */
        path: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The PACS' answer, as it sent it. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/dicom+json': {
            [key: string]: unknown;
          }[];
          'application/octet-stream': Blob;
          'multipart/related': Blob;
        };
      };
      /** @description A path leaving the DICOMweb root, or no `--dicomweb` configured; the message says which. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not a proxied service (`qido`, `wado`, `stow`), or what the PACS does not hold. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The PACS announces an answer over `--dicomweb_max_series_mb`. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The PACS cannot be reached; the message names it. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  proxyDicomStore: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description QIDO-RS, WADO-RS or STOW-RS: all three reach the same DICOMweb root. */
        service: 'qido' | 'wado' | 'stow';
        /** @description The DICOMweb resource below the service root, e.g. `studies`, `studies/{uid}/series/{uid}/metadata`. */
        path: string;
      };
      cookie?: never;
    };
    /** @description DICOM instances, as STOW-RS sends them. */
    requestBody: {
      content: {
        'multipart/related': Blob;
      };
    };
    responses: {
      /** @description The PACS' STOW-RS answer: what it stored and what it refused. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/dicom+json': {
            [key: string]: unknown;
          }[];
        };
      };
      /** @description A path leaving the DICOMweb root, or no `--dicomweb` configured; the message says which. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Not a proxied service (`qido`, `wado`, `stow`). */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description An upload over `--max_upload_mb`. */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description A body that is not `multipart/related`. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The PACS cannot be reached; the message names it. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listSamples: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The sample volumes, sorted by name. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SampleList'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getSample: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description A name that `GET /samples` lists. */
        name: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The NIfTI file. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/octet-stream': Blob;
        };
      };
      /** @description No sample by that name. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  createSession: {
    parameters: {
      query?: {
        /** @description Seconds of inactivity before the session is removed; 0 or absent: the server default. */
        expiry?: string;
        /** @description The extension a DICOM series is stored with: `.nii.gz` (default) or `.nii`. */
        save_as?: string;
        /** @description MONAI Label's archive unpacking: `false` (default); `true` is refused, archives are not unpacked */
        uncompress?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'multipart/form-data': {
          /** @description MONAI Label's client id (read by nothing). */
          client_id?: string;
          /**
           * Format: binary
           * @description MONAI Label's form: one NIfTI image or DICOM file, or one DICOM slice per `files` part.
           */
          files?: Blob;
          /**
           * Format: binary
           * @description A NIfTI image (`.nii`, `.nii.gz`), or one DICOM file; the Python client names the part `datapoint`.
           */
          image?: Blob;
          /**
           * Format: binary
           * @description The first DICOM slice of a series; `image1`, `image2`, … follow, one part per slice.
           */
          image0?: Blob;
          /** @description JSON text, `{}` (optional). */
          params?: components['schemas']['SessionParams'];
        };
      };
    };
    responses: {
      /** @description The new session. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['CreatedSession'];
        };
      };
      /** @description Bad input (a part, parameter or `dicom` reference field, named), or a DICOM reference without `--dicomweb`. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The referenced series is not on the PACS. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The body sent nothing for `--upload_idle_timeout_sec` seconds, or did not arrive whole within `--body_timeout_sec`; the server closes the connection. */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Too large: a part or a request over `--max_upload_mb`, an image whose voxels exceed the size limit, or an array the request would need past `--request_budget_mb` (the message names the step and the size). */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description An encoding the server cannot read (a compressed DICOM transfer syntax), named in the message. */
      415: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description This client holds as many sessions as `--sessions_per_client` allows; the reply has a `Retry-After`. */
      429: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The server holds as many sessions (or session bytes) as it may, or the PACS cannot be reached (named); try later. */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  getSession: {
    parameters: {
      query?: {
        /** @description `true` (or `1`) counts this request as a use: the expiry starts again. */
        update_ts?: string;
      };
      header?: never;
      path: {
        /** @description The `session_id` that `PUT /session/` answered. */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The session. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SessionInfo'];
        };
      };
      /** @description Bad input; the message names the part, field, query parameter or config path at fault. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unknown or expired session. */
      440: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deleteSession: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The `session_id` that `PUT /session/` answered. */
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description The session is closed. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['SessionClosed'];
        };
      };
      /** @description Unknown or expired session. */
      440: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  trainingStatus: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No training task: none ever runs on this server. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  startTraining: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Training is not offered: this server runs inference only. */
      501: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  stopTraining: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description No training task: none ever runs on this server. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  startModelTraining: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        /** @description The model to train, as `GET /info/` lists it. */
        model: unknown;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Training is not offered: this server runs inference only. */
      501: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  deepgrow: {
    parameters: {
      query: {
        /** @description The model to run, as `GET /v1/models` lists it. */
        model: string;
        /** @description Use the image of this session (`PUT /session/`) instead of a file part; 440 when unknown or expired. */
        session_id?: string;
        /** @description `image`: reply with the result file only; `json`: the result JSON only; default: multipart with both. */
        output?: 'all' | 'image' | 'json';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'multipart/form-data': {
          /**
           * Format: binary
           * @description The image (NIfTI, `.nii` or `.nii.gz`); the C++ client and OHIF name the part `image`. Omit it with `session_id`.
           */
          datapoint?: Blob;
          /** @description The request params, JSON text (absent: `{}`). */
          params: components['schemas']['DeepgrowParams'];
        };
      };
    };
    responses: {
      /** @description Multipart by default: the result JSON (`params`) and the result file (`image`, `result.nii.gz` or the writer's format). `output=image`: the file alone. `output=json`, or a model whose writer writes no file (classification): the JSON alone. */
      200: {
        headers: {
          /** @description With `output=image`: `attachment; filename="result.nii.gz"`. */
          'Content-Disposition'?: string;
          /** @description Milliseconds per stage (`upload;dur=12.3, read;dur=40.1, infer;dur=80.6, …, total;dur=150.2`), then `cache;desc=hit` when the model skipped its pre-transforms for a kept snapshot of the session image. */
          'Server-Timing'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['InferenceResult'];
          'application/octet-stream': Blob;
          'multipart/form-data': {
            /**
             * Format: binary
             * @description The result file, `filename="result.nii.gz"`.
             */
            image: Blob;
            /** @description The JSON result: the first part, a form field without Content-Type whose text is JSON. */
            params: components['schemas']['InferenceResult'];
          };
        };
      };
      /** @description Bad input; the message names the part, field, query parameter or config path at fault. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No model by that name is loaded. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The body sent nothing for `--upload_idle_timeout_sec` seconds, or did not arrive whole within `--body_timeout_sec`; the server closes the connection. */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Too large: a part or a request over `--max_upload_mb`, an image whose voxels exceed the size limit, or an array the request would need past `--request_budget_mb` (the message names the step and the size). */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unknown or expired `session_id`: upload the image again (`PUT /session/`). */
      440: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unavailable: the engine (Triton) cannot serve now, or the server is at its bound of image requests or staged upload bytes; try again later (`Retry-After`). */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The model ran past `--request_timeout_sec` and was cancelled. */
      504: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  dextr3d: {
    parameters: {
      query: {
        /** @description The model to run, as `GET /v1/models` lists it. */
        model: string;
        /** @description Use the image of this session (`PUT /session/`) instead of a file part; 440 when unknown or expired. */
        session_id?: string;
        /** @description `image`: reply with the result file only; `json`: the result JSON only; default: multipart with both. */
        output?: 'all' | 'image' | 'json';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'multipart/form-data': {
          /**
           * Format: binary
           * @description The image (NIfTI, `.nii` or `.nii.gz`); the C++ client and OHIF name the part `image`. Omit it with `session_id`.
           */
          datapoint?: Blob;
          /** @description The request params, JSON text (absent: `{}`). */
          params: components['schemas']['Dextr3dParams'];
        };
      };
    };
    responses: {
      /** @description Multipart by default: the result JSON (`params`) and the result file (`image`, `result.nii.gz` or the writer's format). `output=image`: the file alone. `output=json`, or a model whose writer writes no file (classification): the JSON alone. */
      200: {
        headers: {
          /** @description With `output=image`: `attachment; filename="result.nii.gz"`. */
          'Content-Disposition'?: string;
          /** @description Milliseconds per stage (`upload;dur=12.3, read;dur=40.1, infer;dur=80.6, …, total;dur=150.2`), then `cache;desc=hit` when the model skipped its pre-transforms for a kept snapshot of the session image. */
          'Server-Timing'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['InferenceResult'];
          'application/octet-stream': Blob;
          'multipart/form-data': {
            /**
             * Format: binary
             * @description The result file, `filename="result.nii.gz"`.
             */
            image: Blob;
            /** @description The JSON result: the first part, a form field without Content-Type whose text is JSON. */
            params: components['schemas']['InferenceResult'];
          };
        };
      };
      /** @description Bad input; the message names the part, field, query parameter or config path at fault. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No model by that name is loaded. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The body sent nothing for `--upload_idle_timeout_sec` seconds, or did not arrive whole within `--body_timeout_sec`; the server closes the connection. */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Too large: a part or a request over `--max_upload_mb`, an image whose voxels exceed the size limit, or an array the request would need past `--request_budget_mb` (the message names the step and the size). */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unknown or expired `session_id`: upload the image again (`PUT /session/`). */
      440: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unavailable: the engine (Triton) cannot serve now, or the server is at its bound of image requests or staged upload bytes; try again later (`Retry-After`). */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The model ran past `--request_timeout_sec` and was cancelled. */
      504: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  fixPolygon: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'multipart/form-data': {
          /**
           * Format: binary
           * @description The reference image: PNG (2-D) or NIfTI; the C++ client names the part `image`.
           */
          datapoint?: Blob;
          /** @description The edit, JSON text. */
          params: components['schemas']['FixPolygonParams'];
        };
      };
    };
    responses: {
      /** @description The edited polygons (`params`) and their mask (`image`: `result.png` in 2-D, `result.nii.gz` in 3-D). */
      200: {
        headers: {
          /** @description Milliseconds per stage (`upload;dur=12.3, read;dur=40.1, infer;dur=80.6, …, total;dur=150.2`), then `cache;desc=hit` when the model skipped its pre-transforms for a kept snapshot of the session image. */
          'Server-Timing'?: string;
          [name: string]: unknown;
        };
        content: {
          'multipart/form-data': {
            /**
             * Format: binary
             * @description The result file, `filename="result.png"`.
             */
            image: Blob;
            /** @description The JSON result: the first part, a form field without Content-Type whose text is JSON. */
            params: components['schemas']['FixPolygonResult'];
          };
        };
      };
      /** @description Bad input; the message names the part, field, query parameter or config path at fault. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The body sent nothing for `--upload_idle_timeout_sec` seconds, or did not arrive whole within `--body_timeout_sec`; the server closes the connection. */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Too large: a part or a request over `--max_upload_mb`, an image whose voxels exceed the size limit, or an array the request would need past `--request_budget_mb` (the message names the step and the size). */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  infer: {
    parameters: {
      query: {
        /** @description The model to run, as `GET /v1/models` lists it. */
        model: string;
        /** @description Use the image of this session (`PUT /session/`) instead of a file part; 440 when unknown or expired. */
        session_id?: string;
        /** @description `image`: reply with the result file only; `json`: the result JSON only; default: multipart with both. */
        output?: 'all' | 'image' | 'json';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'multipart/form-data': {
          /**
           * Format: binary
           * @description The image (NIfTI, `.nii` or `.nii.gz`); the C++ client and OHIF name the part `image`. Omit it with `session_id`.
           */
          datapoint?: Blob;
          /** @description The request params, JSON text (absent: `{}`). */
          params?: components['schemas']['InferenceParams'];
        };
      };
    };
    responses: {
      /** @description Multipart by default: the result JSON (`params`) and the result file (`image`, `result.nii.gz` or the writer's format). `output=image`: the file alone. `output=json`, or a model whose writer writes no file (classification): the JSON alone. */
      200: {
        headers: {
          /** @description With `output=image`: `attachment; filename="result.nii.gz"`. */
          'Content-Disposition'?: string;
          /** @description Milliseconds per stage (`upload;dur=12.3, read;dur=40.1, infer;dur=80.6, …, total;dur=150.2`), then `cache;desc=hit` when the model skipped its pre-transforms for a kept snapshot of the session image. */
          'Server-Timing'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['InferenceResult'];
          'application/octet-stream': Blob;
          'multipart/form-data': {
            /**
             * Format: binary
             * @description The result file, `filename="result.nii.gz"`.
             */
            image: Blob;
            /** @description The JSON result: the first part, a form field without Content-Type whose text is JSON. */
            params: components['schemas']['InferenceResult'];
          };
        };
      };
      /** @description Bad input; the message names the part, field, query parameter or config path at fault. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No model by that name is loaded. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The body sent nothing for `--upload_idle_timeout_sec` seconds, or did not arrive whole within `--body_timeout_sec`; the server closes the connection. */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Too large: a part or a request over `--max_upload_mb`, an image whose voxels exceed the size limit, or an array the request would need past `--request_budget_mb` (the message names the step and the size). */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unknown or expired `session_id`: upload the image again (`PUT /session/`). */
      440: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unavailable: the engine (Triton) cannot serve now, or the server is at its bound of image requests or staged upload bytes; try again later (`Retry-After`). */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The model ran past `--request_timeout_sec` and was cancelled. */
      504: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  maskToPolygon: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'multipart/form-data': {
          /**
           * Format: binary
           * @description The label mask (NIfTI); the C++ client names the part `image`.
           */
          datapoint?: Blob;
          /** @description The request params, JSON text (absent: `{}`). */
          params?: components['schemas']['Mask2PolygonParams'];
        };
      };
    };
    responses: {
      /** @description The polygons of each slice. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['PolygonsBySlice'];
        };
      };
      /** @description Bad input; the message names the part, field, query parameter or config path at fault. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The body sent nothing for `--upload_idle_timeout_sec` seconds, or did not arrive whole within `--body_timeout_sec`; the server closes the connection. */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Too large: a part or a request over `--max_upload_mb`, an image whose voxels exceed the size limit, or an array the request would need past `--request_budget_mb` (the message names the step and the size). */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  listModels: {
    parameters: {
      query?: {
        /** @description One model by name: the reply is that model as an object (404 when it is not loaded). */
        model?: string;
        /** @description Models with this label: case-insensitive exact matches, or else those whose labels contain it. */
        label?: string;
        /** @description Models of this type: `segmentation`, `annotation`, `classification`, `deepgrow`, `others`, `pipeline`. */
        type?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** @description A list of models, or one model with `?model=`. */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['ModelList'] | components['schemas']['ModelInfo'];
        };
      };
      /** @description Bad input; the message names the part, field, query parameter or config path at fault. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description With `?model=`: no model by that name is loaded. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
  segment: {
    parameters: {
      query: {
        /** @description The model to run, as `GET /v1/models` lists it. */
        model: string;
        /** @description Use the image of this session (`PUT /session/`) instead of a file part; 440 when unknown or expired. */
        session_id?: string;
        /** @description `image`: reply with the result file only; `json`: the result JSON only; default: multipart with both. */
        output?: 'all' | 'image' | 'json';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'multipart/form-data': {
          /**
           * Format: binary
           * @description The image (NIfTI, `.nii` or `.nii.gz`); the C++ client and OHIF name the part `image`. Omit it with `session_id`.
           */
          datapoint?: Blob;
          /** @description The request params, JSON text (absent: `{}`). */
          params?: components['schemas']['SegmentationParams'];
        };
      };
    };
    responses: {
      /** @description Multipart by default: the result JSON (`params`) and the result file (`image`, `result.nii.gz` or the writer's format). `output=image`: the file alone. `output=json`, or a model whose writer writes no file (classification): the JSON alone. */
      200: {
        headers: {
          /** @description With `output=image`: `attachment; filename="result.nii.gz"`. */
          'Content-Disposition'?: string;
          /** @description Milliseconds per stage (`upload;dur=12.3, read;dur=40.1, infer;dur=80.6, …, total;dur=150.2`), then `cache;desc=hit` when the model skipped its pre-transforms for a kept snapshot of the session image. */
          'Server-Timing'?: string;
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['InferenceResult'];
          'application/octet-stream': Blob;
          'multipart/form-data': {
            /**
             * Format: binary
             * @description The result file, `filename="result.nii.gz"`.
             */
            image: Blob;
            /** @description The JSON result: the first part, a form field without Content-Type whose text is JSON. */
            params: components['schemas']['InferenceResult'];
          };
        };
      };
      /** @description Bad input; the message names the part, field, query parameter or config path at fault. */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description No model by that name is loaded. */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The body sent nothing for `--upload_idle_timeout_sec` seconds, or did not arrive whole within `--body_timeout_sec`; the server closes the connection. */
      408: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Too large: a part or a request over `--max_upload_mb`, an image whose voxels exceed the size limit, or an array the request would need past `--request_budget_mb` (the message names the step and the size). */
      413: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unknown or expired `session_id`: upload the image again (`PUT /session/`). */
      440: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unexpected failure; the message names the failed operation, the cause is in the server log. */
      500: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description Unavailable: the engine (Triton) cannot serve now, or the server is at its bound of image requests or staged upload bytes; try again later (`Retry-After`). */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
      /** @description The model ran past `--request_timeout_sec` and was cancelled. */
      504: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': components['schemas']['Error'];
        };
      };
    };
  };
}
