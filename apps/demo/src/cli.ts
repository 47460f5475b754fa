console.log('optimgrad demo: work in progress');
